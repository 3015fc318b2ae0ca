package io.lakestream.bench;

import static io.lakestream.bench.IcebergCommitFigures.NONE;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.bench.IcebergCommitFigures.AddedFile;
import io.lakestream.bench.IcebergCommitFigures.Period;
import io.lakestream.bench.IcebergCommitFigures.SnapshotInfo;
import io.lakestream.bench.IcebergCommitFigures.TableFigures;
import io.lakestream.bench.IcebergCommitFigures.WindowFreshness;
import io.lakestream.bench.IcebergReport.TableResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class IcebergCommitFiguresTest {

    private static final long WINDOW = 30_000;
    private static final long GRACE = 5_000;
    private static final long INTERVAL = 10_000;
    /** Steady state: minute 1 to minute 3 of the run. */
    private static final Period STEADY = new Period(60_000, 180_000);

    @Test
    void shouldMeasureGapsBetweenConsecutiveSnapshotsInCommitOrder() {
        // given out of order, as a catalog may list them
        List<SnapshotInfo> snapshots = List.of(snapshot(2, 85_000), snapshot(1, 62_000), snapshot(3, 97_000),
                snapshot(4, 120_000));

        TableFigures f = IcebergCommitFigures.compute("claims", snapshots, WINDOW, GRACE, INTERVAL, STEADY);

        // gaps 23 s, 12 s, 23 s
        assertThat(f.minGap()).isEqualTo(12_000);
        assertThat(f.medianGap()).isEqualTo(23_000);
        assertThat(f.gapsBelowInterval()).isZero();
        assertThat(f.violation()).isFalse();
    }

    @Test
    void shouldReportAViolationWhenTwoSnapshotsOfATableAreCloserThanTheInterval() {
        List<SnapshotInfo> snapshots = List.of(snapshot(1, 70_000), snapshot(2, 80_000), snapshot(3, 89_999));

        TableFigures f = IcebergCommitFigures.compute("claims", snapshots, WINDOW, GRACE, INTERVAL, STEADY);

        assertThat(f.gapsBelowInterval()).isEqualTo(1);
        assertThat(f.minGap()).isEqualTo(9_999);
        assertThat(f.violation()).isTrue();
        assertThat(new TableResult(f, 10, 10, 0, 0).status()).isEqualTo("VIOLATION");
    }

    @Test
    void shouldCountAViolationDuringWarmUpButLeaveWarmUpOutOfTheSteadyFigures() {
        List<SnapshotInfo> snapshots = List.of(snapshot(1, 10_000), snapshot(2, 15_000), snapshot(3, 70_000),
                snapshot(4, 82_000), snapshot(5, 200_000));

        TableFigures f = IcebergCommitFigures.compute("claims", snapshots, WINDOW, GRACE, INTERVAL, STEADY);

        assertThat(f.snapshots()).isEqualTo(5);
        assertThat(f.steadySnapshots()).isEqualTo(2);
        assertThat(f.commitsPerMinute()).isEqualTo(1.0);
        assertThat(f.minGap()).isEqualTo(12_000);
        assertThat(f.minGapAnyTime()).isEqualTo(5_000);
        assertThat(f.violation()).isTrue();
    }

    @Test
    void shouldTakeAWindowAsVisibleWhenTheSnapshotHoldingItsLastFileWasCommitted() {
        // window [60 s, 90 s): deadline 95 s; two files, the second one committed a snapshot later
        List<SnapshotInfo> snapshots = List.of(
                new SnapshotInfo(1, 100_000, List.of(file("a", 60_000, 96_000))),
                new SnapshotInfo(2, 112_000, List.of(file("b", 60_000, 101_000), file("c", 90_000, 126_000))),
                new SnapshotInfo(3, 130_000, List.of(file("d", 90_000, 127_000))));

        List<WindowFreshness> windows = IcebergCommitFigures.windows(snapshots, WINDOW, GRACE);

        assertThat(windows).hasSize(2);
        WindowFreshness first = windows.get(0);
        assertThat(first.windowStart()).isEqualTo(60_000);
        assertThat(first.files()).isEqualTo(2);
        assertThat(first.freshness()).isEqualTo(112_000 - 95_000);
        assertThat(first.closeDelay()).isEqualTo(101_000 - 95_000);
        assertThat(first.commitWait()).isEqualTo(112_000 - 101_000);
        assertThat(first.closeDelay() + first.commitWait()).isEqualTo(first.freshness());
        assertThat(windows.get(1).freshness()).isEqualTo(130_000 - 125_000);
    }

    @Test
    void shouldCountAFileFromTheFirstSnapshotThatAddedIt() {
        List<SnapshotInfo> snapshots = List.of(new SnapshotInfo(1, 100_000, List.of(file("a", 60_000, 96_000))),
                new SnapshotInfo(2, 140_000, List.of(file("a", 60_000, 96_000))));

        assertThat(IcebergCommitFigures.windows(snapshots, WINDOW, GRACE).get(0).visibleAt()).isEqualTo(100_000);
    }

    @Test
    void shouldKeepOnlyWindowsThatCloseInTheSteadyStateBeforeTheWindDown() {
        // steady state 60 s .. 180 s; a window closed by live input has its deadline by 180 - 2 * 30 - 5 = 115 s
        List<SnapshotInfo> snapshots = List.of(
                new SnapshotInfo(1, 50_000, List.of(file("w0", 0, 40_000))),        // deadline 35 s: warm-up
                new SnapshotInfo(2, 80_000, List.of(file("w30", 30_000, 70_000))),   // deadline 65 s
                new SnapshotInfo(3, 130_000, List.of(file("w80", 80_000, 120_000))), // deadline 115 s
                new SnapshotInfo(4, 140_000, List.of(file("w90", 90_000, 130_000))), // deadline 125 s: wind-down
                new SnapshotInfo(5, 260_000, List.of(file("w150", 150_000, 250_000)))); // after the stop

        TableFigures f = IcebergCommitFigures.compute("claims", snapshots, WINDOW, GRACE, INTERVAL, STEADY);

        assertThat(f.steadyWindows()).extracting(WindowFreshness::windowStart).containsExactly(30_000L, 80_000L);
        assertThat(f.freshnessPercentile(50)).isEqualTo(15_000);
        assertThat(f.freshnessPercentile(100)).isEqualTo(15_000);
    }

    @Test
    void shouldTakeAWindowDeadlineAtTheWallClockMomentFastEventTimeReachedIt() {
        // event time 10x the wall clock, equal to it at the stop (180 s): event e is reached at (e + 9 * 180 s) / 10
        EventClock clock = new EventClock(180_000, 10);
        List<SnapshotInfo> snapshots = List.of(
                // window end + grace = -620 s of event time, reached at 100 s of wall clock
                new SnapshotInfo(1, 103_000, List.of(file("a", -655_000, 101_000))),
                // end + grace = 120 s, reached at 174 s: after the last steady deadline (115 s of event time, 173.5 s)
                new SnapshotInfo(2, 176_000, List.of(file("b", 85_000, 175_000))));

        TableFigures f = IcebergCommitFigures.compute("claims", snapshots, WINDOW, GRACE, INTERVAL, STEADY, clock);

        assertThat(f.steadyWindows()).extracting(WindowFreshness::windowStart).containsExactly(-655_000L);
        assertThat(f.steadyWindows().get(0).deadline()).isEqualTo(100_000);
        assertThat(f.freshnessPercentile(50)).isEqualTo(3_000);
        assertThat(IcebergCommitFigures.compute("claims", snapshots, WINDOW, GRACE, INTERVAL, STEADY)
                .steadyWindows()).isEmpty();
    }

    @Test
    void shouldLeaveTheSplitOutWhenAWriteTimeIsUnknown() {
        List<SnapshotInfo> snapshots = List.of(new SnapshotInfo(1, 100_000,
                List.of(file("a", 60_000, 96_000), file("b", 60_000, NONE))));

        WindowFreshness w = IcebergCommitFigures.windows(snapshots, WINDOW, GRACE).get(0);

        assertThat(w.closeDelay()).isEqualTo(NONE);
        assertThat(w.commitWait()).isEqualTo(NONE);
        assertThat(IcebergReport.s(w.closeDelay())).isEqualTo("NA");
        assertThat(w.freshness()).isEqualTo(5_000);
    }

    @Test
    void shouldTakeNearestRankPercentiles() {
        List<Long> values = List.of(5L, 1L, 4L, 2L, 3L, 10L, 9L, 8L, 7L, 6L);

        assertThat(IcebergCommitFigures.percentile(values, 50)).isEqualTo(5);
        assertThat(IcebergCommitFigures.percentile(values, 95)).isEqualTo(10);
        assertThat(IcebergCommitFigures.percentile(values, 100)).isEqualTo(10);
        assertThat(IcebergCommitFigures.percentile(values, 0)).isEqualTo(1);
        assertThat(IcebergCommitFigures.percentile(List.of(-3L), 50)).isEqualTo(-3);
        assertThat(IcebergCommitFigures.percentile(List.of(), 50)).isEqualTo(NONE);
    }

    @Test
    void shouldReportNoGapForASingleSnapshot() {
        TableFigures f = IcebergCommitFigures.compute("claims", List.of(snapshot(1, 90_000)), WINDOW, GRACE,
                INTERVAL, STEADY);

        assertThat(f.minGap()).isEqualTo(NONE);
        assertThat(f.medianGap()).isEqualTo(NONE);
        assertThat(f.violation()).isFalse();
    }

    @Test
    void shouldPrintOneLineWithEveryFigure() {
        List<SnapshotInfo> snapshots = List.of(
                new SnapshotInfo(1, 75_000, List.of(file("a", 30_000, 66_000))),
                new SnapshotInfo(2, 100_000, List.of(file("b", 60_000, 96_000))));
        TableFigures f = IcebergCommitFigures.compute("claims", snapshots, WINDOW, GRACE, INTERVAL, STEADY);

        assertThat(IcebergReport.line("glue", new TableResult(f, 1200, 1200, 0, 0))).isEqualTo("BENCH-ICEBERG "
                + "table=claims catalog=glue status=ok snapshots=2 steady_snapshots=2 commits_per_min=1.00 "
                + "interval_s=10.0 min_gap_s=25.0 median_gap_s=25.0 min_gap_any_s=25.0 gaps_below_interval=0 "
                + "windows=2 fresh_p50_s=5.0 fresh_p95_s=10.0 fresh_max_s=10.0 close_p50_s=1.0 close_max_s=1.0 "
                + "commit_wait_p50_s=4.0 commit_wait_max_s=9.0 rows=1200 expected_rows=1200 files_outside_window=0 "
                + "files_added_twice=0");
        assertThat(new TableResult(f, 1199, 1200, 0, 0).status()).isEqualTo("ROWS-MISMATCH");
        assertThat(new TableResult(f, 1200, 1200, 0, 1).status()).isEqualTo("ROWS-MISMATCH");
        assertThat(new TableResult(f, 1200, 1200, 2, 0).status()).isEqualTo("WINDOW-MISMATCH");
    }

    private static SnapshotInfo snapshot(long id, long committedAt) {
        return new SnapshotInfo(id, committedAt, List.of());
    }

    private static AddedFile file(String name, long windowStart, long writtenAt) {
        return new AddedFile("s3://lake/claims/data/" + windowStart + "-raw-0-" + name + ".parquet", windowStart,
                writtenAt);
    }
}
