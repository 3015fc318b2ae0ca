package io.lakestream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.bench.FilesOverTime.Commit;
import io.lakestream.bench.FilesOverTime.Rules;
import io.lakestream.bench.FilesOverTime.Sample;
import io.lakestream.bench.FilesOverTime.TableFiles;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FilesOverTimeTest {

    private static final long H = 3_600_000L;
    private static final long MIN = 60_000L;
    private static final long T0 = 1_000 * H;
    // 30 s windows, 5 s grace; commits every 10 s; maintenance every minute
    private static final Rules RULES = new Rules(new EventClock(T0 + 20 * MIN, 10), 65_000, 10_000, MIN);

    private static Sample sample(long at, Map<Long, Integer> byHour, long newestEvent) {
        return new Sample(at, "claims", byHour.values().stream().mapToInt(Integer::intValue).sum(), 5, byHour,
                newestEvent);
    }

    @Test
    void shouldCountAClosedHourCompactedWhenItsFilesDropToTwoOrFewer() {
        List<Sample> samples = List.of(
                sample(T0, Map.of(T0, 40), T0 + 50 * MIN),
                // the table holds an event 65 s past the hour's end: closed
                sample(T0 + MIN, Map.of(T0, 48, T0 + H, 8), T0 + H + 66_000),
                sample(T0 + 2 * MIN, Map.of(T0, 1, T0 + H, 60), T0 + H + 10 * MIN),
                sample(T0 + 5 * MIN, Map.of(T0, 1, T0 + H, 200), T0 + H + 40 * MIN));

        TableFiles f = FilesOverTime.compute("claims", samples, List.of(), RULES);

        assertThat(f.status()).isEqualTo("ok");
        assertThat(f.maxFiles()).isEqualTo(201);
        assertThat(f.lastFiles()).isEqualTo(201);
        assertThat(f.closedFilesLast()).containsExactly(Map.entry(T0, 1));
        assertThat(f.openHoursLast()).isEqualTo(1);
        assertThat(f.openFilesLast()).isEqualTo(200);
        assertThat(f.maxCompactionWait()).isEqualTo(MIN);
        assertThat(f.maxClosedAfterDue()).isEqualTo(1);
    }

    @Test
    void shouldFlagAClosedHourStillHoldingManyFilesOnceAPassWasDue() {
        List<Sample> samples = List.of(
                sample(T0, Map.of(T0, 48, T0 + H, 8), T0 + H + 66_000),
                // due a minute and two commit intervals after the sample that saw it closed
                sample(T0 + MIN, Map.of(T0, 48, T0 + H, 60), T0 + H + 10 * MIN),
                sample(T0 + 2 * MIN, Map.of(T0, 48, T0 + H, 90), T0 + H + 20 * MIN));

        TableFiles f = FilesOverTime.compute("claims", samples, List.of(), RULES);

        assertThat(f.status()).isEqualTo("NOT-COMPACTED");
        assertThat(f.overdueHours()).containsExactly(T0);
        assertThat(f.maxClosedAfterDue()).isEqualTo(48);
    }

    @Test
    void shouldCallAClosedHourPendingUntilItsCompactionIsDue() {
        List<Sample> samples = List.of(sample(T0, Map.of(T0, 48, T0 + H, 8), T0 + H + 66_000),
                sample(T0 + MIN, Map.of(T0, 48, T0 + H, 60), T0 + H + 10 * MIN));

        TableFiles f = FilesOverTime.compute("claims", samples, List.of(), RULES);

        assertThat(f.status()).isEqualTo("ok");
        assertThat(f.pendingHours()).isEqualTo(1);
        assertThat(f.overdueHours()).isEmpty();
    }

    @Test
    void shouldTakeTheCadenceFromAppendsAloneWithCompactionsInBetween() {
        List<Commit> commits = List.of(new Commit(1, "append", 0), new Commit(2, "append", 12_000),
                new Commit(3, "replace", 12_500), new Commit(4, "append", 24_500), new Commit(5, "append", 36_000));

        TableFiles f = FilesOverTime.compute("claims", List.of(), commits, RULES);

        assertThat(f.appends()).isEqualTo(4);
        assertThat(f.replaces()).isEqualTo(1);
        assertThat(f.minAppendGap()).isEqualTo(11_500);
        assertThat(f.medianAppendGap()).isEqualTo(12_000);
        assertThat(f.status()).isEqualTo("ok");

        TableFiles tooClose = FilesOverTime.compute("claims", List.of(),
                List.of(new Commit(1, "append", 0), new Commit(2, "append", 9_000)), RULES);
        assertThat(tooClose.status()).isEqualTo("CADENCE");
    }

    @Test
    void shouldKeepTheLastSampleOfEachMinute() {
        List<Sample> samples = List.of(sample(T0, Map.of(T0, 1), T0), sample(T0 + 30_000, Map.of(T0, 2), T0),
                sample(T0 + 50_000, Map.of(T0, 3), T0), sample(T0 + 130_000, Map.of(T0, 4), T0));

        Map<Long, List<Sample>> perMinute = FilesOverTime.perMinute(samples, List.of("claims"));

        assertThat(perMinute).containsOnlyKeys(1L, 2L, 3L);
        assertThat(perMinute.get(1L).get(0).dataFiles()).isEqualTo(3);
        assertThat(perMinute.get(2L).get(0).dataFiles()).isEqualTo(3);
        assertThat(perMinute.get(3L).get(0).dataFiles()).isEqualTo(4);
    }
}
