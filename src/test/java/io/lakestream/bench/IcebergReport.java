package io.lakestream.bench;

import static io.lakestream.bench.IcebergCommitFigures.NONE;

import io.lakestream.bench.IcebergCommitFigures.TableFigures;
import io.lakestream.bench.IcebergCommitFigures.WindowFreshness;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** The live Iceberg benchmark's output: one {@code BENCH-ICEBERG} line per table and a markdown table. */
final class IcebergReport {

    /**
     * One table's figures and the read-back checks.
     *
     * @param rows          rows in the table (records table: rows of the current snapshot; aggregates table: the sum
     *                      of {@code claim_count}), to compare with the claims produced
     * @param outsideWindow files whose manifest event-time bounds lie outside the window their name gives
     * @param addedTwice    data files added by more than one snapshot
     */
    record TableResult(TableFigures figures, long rows, long expectedRows, int outsideWindow, int addedTwice) {

        String status() {
            if (figures.violation()) {
                return "VIOLATION";
            }
            if (rows != expectedRows || addedTwice > 0) {
                return "ROWS-MISMATCH";
            }
            return outsideWindow > 0 ? "WINDOW-MISMATCH" : "ok";
        }
    }

    private IcebergReport() {
    }

    static String line(String catalog, TableResult r) {
        TableFigures f = r.figures();
        return String.format(Locale.ROOT, "BENCH-ICEBERG table=%s catalog=%s status=%s snapshots=%d "
                        + "steady_snapshots=%d commits_per_min=%.2f interval_s=%s min_gap_s=%s median_gap_s=%s "
                        + "min_gap_any_s=%s gaps_below_interval=%d windows=%d fresh_p50_s=%s fresh_p95_s=%s "
                        + "fresh_max_s=%s close_p50_s=%s close_max_s=%s commit_wait_p50_s=%s commit_wait_max_s=%s "
                        + "rows=%d expected_rows=%d files_outside_window=%d files_added_twice=%d",
                f.table(), catalog, r.status(), f.snapshots(), f.steadySnapshots(), f.commitsPerMinute(),
                s(f.intervalMillis()), s(f.minGap()), s(f.medianGap()), s(f.minGapAnyTime()), f.gapsBelowInterval(),
                f.steadyWindows().size(), s(f.freshnessPercentile(50)), s(f.freshnessPercentile(95)),
                s(f.freshnessPercentile(100)), s(f.closeDelayPercentile(50)), s(f.closeDelayPercentile(100)),
                s(f.commitWaitPercentile(50)), s(f.commitWaitPercentile(100)), r.rows(), r.expectedRows(),
                r.outsideWindow(), r.addedTwice());
    }

    /** One line per steady-state window, for reading a figure back to its windows. */
    static String windowLine(String table, WindowFreshness w) {
        return String.format(Locale.ROOT, "BENCH-ICEBERG-WINDOW table=%s start=%s files=%d fresh_s=%s close_s=%s "
                        + "commit_wait_s=%s", table, Instant.ofEpochMilli(w.windowStart()), w.files(),
                s(w.freshness()), s(w.closeDelay()), s(w.commitWait()));
    }

    static String markdown(MachineInfo machine, String command, String load, List<TableResult> results) {
        StringBuilder b = new StringBuilder(header(machine, command, load)).append('\n');
        b.append("| table | snapshots (steady) | commits/min | gap min / median (s) | windows | freshness p50 / p95 "
                + "/ max (s) | close delay p50 / max (s) | commit wait p50 / max (s) | rows = produced |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (TableResult r : results) {
            TableFigures f = r.figures();
            b.append(String.format(Locale.ROOT, "| %s | %d (%d) | %.2f | %s / %s | %d | %s / %s / %s | %s / %s | %s / %s "
                            + "| %s |%n", f.table(), f.snapshots(), f.steadySnapshots(), f.commitsPerMinute(),
                    s(f.minGap()), s(f.medianGap()), f.steadyWindows().size(), s(f.freshnessPercentile(50)),
                    s(f.freshnessPercentile(95)), s(f.freshnessPercentile(100)), s(f.closeDelayPercentile(50)),
                    s(f.closeDelayPercentile(100)), s(f.commitWaitPercentile(50)), s(f.commitWaitPercentile(100)),
                    r.rows() == r.expectedRows() ? "yes (" + r.rows() + ")" : "NO: " + r.rows() + " of "
                            + r.expectedRows()));
        }
        return b.toString();
    }

    /** Machine, command and load average of a run, each on a line of its own. */
    static String header(MachineInfo machine, String command, String load) {
        return "Machine: " + machine.summary() + ", " + machine.date() + "  \n"
                + "Command: `" + command + "`  \n"
                + "Load (1-min average from /proc/loadavg): " + load + "\n";
    }

    /** Milliseconds as seconds with one decimal; NA for {@link IcebergCommitFigures#NONE}. */
    static String s(long millis) {
        return millis == NONE ? "NA" : String.format(Locale.ROOT, "%.1f", millis / 1000.0);
    }
}
