package io.lakestream.bench;

import io.lakestream.bench.CompactionReadBack.Figures;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The compaction benchmark's verdict (what does not hold) and its markdown table, before and after maintenance. */
final class CompactionReport {

    /** At most this many data files per partition after maintenance (the target size is far above an hour's data). */
    static final int MAX_FILES_PER_PARTITION = 2;

    /** How the run went: the commands' wall times and {@code maintain}'s own report lines. */
    record Run(long records, long deadLetters, double runSeconds, double maintainSeconds, List<String> maintained) {
    }

    private CompactionReport() {
    }

    /** Everything that does not hold; empty when the snapshot before and after holds every expected offset once. */
    static List<String> problems(Figures before, Figures after, long expectedRows) {
        List<String> problems = new ArrayList<>();
        check("before", before, expectedRows, problems);
        check("after", after, expectedRows, problems);
        if (after.maxFilesPerPartition() > MAX_FILES_PER_PARTITION) {
            problems.add("after: " + after.maxFilesPerPartition() + " data files in one partition, more than "
                    + MAX_FILES_PER_PARTITION + ": " + after.filesPerPartition());
        }
        if (!before.aggregate().equals(after.aggregate())) {
            problems.add("the aggregate query's result changed: before " + before.aggregate() + ", after "
                    + after.aggregate());
        }
        return problems;
    }

    private static void check(String when, Figures f, long expectedRows, List<String> problems) {
        if (f.icebergRows() != expectedRows || f.duplicates() > 0 || f.missing() > 0 || f.unexpected() > 0) {
            problems.add(when + ": Iceberg's reader returned " + f.icebergRows() + " rows of " + expectedRows
                    + " expected: " + f.duplicates() + " duplicate, " + f.missing() + " missing, " + f.unexpected()
                    + " unexpected source offsets");
        }
        if (f.duckRows() != expectedRows || f.duckDistinct() != expectedRows) {
            problems.add(when + ": DuckDB counted " + f.duckRows() + " rows, " + f.duckDistinct()
                    + " distinct source offsets, of " + expectedRows + " expected");
        }
        if (f.filesListedTwice() > 0) {
            problems.add(when + ": " + f.filesListedTwice() + " data file(s) listed twice in the current snapshot");
        }
    }

    static String markdown(MachineInfo machine, String command, String load, Run run, Figures before, Figures after,
                           CompactionReadBack.Timings t, List<String> problems) {
        StringBuilder b = new StringBuilder();
        b.append("Machine: ").append(machine.summary()).append(", ").append(machine.date()).append("  \n");
        b.append("Command: `").append(command).append("`  \n");
        b.append("Load (/proc/loadavg, 1/5/15 min): ").append(load).append("  \n");
        b.append(String.format(Locale.ROOT, "`run --until-caught-up` (maintenance disabled): %.1f s for %,d claims "
                + "(%,d dead letters); `maintain --all-partitions`: %.1f s  %n", run.runSeconds(), run.records(),
                run.deadLetters(), run.maintainSeconds()));
        run.maintained().forEach(line -> b.append("`").append(line).append("`  \n"));
        b.append('\n');
        b.append("| records table, current snapshot | before `maintain` | after |\n");
        b.append("|---|---:|---:|\n");
        row(b, "snapshots", before.snapshots(), after.snapshots());
        row(b, "data files", before.files(), after.files());
        b.append("| data files per hour partition | ").append(perPartition(before)).append(" | ")
                .append(perPartition(after)).append(" |\n");
        b.append("| total size | ").append(size(before.bytes())).append(" | ").append(size(after.bytes()))
                .append(" |\n");
        b.append("| median file size | ").append(size(before.medianBytes())).append(" | ")
                .append(size(after.medianBytes())).append(" |\n");
        row(b, "Parquet row groups", before.rowGroups(), after.rowGroups());
        b.append("| rows, Iceberg generic reader (each source offset once) | ").append(rows(before)).append(" | ")
                .append(rows(after)).append(" |\n");
        b.append("| DuckDB `count(*)`, `count(DISTINCT (_source_partition, _source_offset))` | ")
                .append(duck(before)).append(" | ").append(duck(after)).append(" |\n");
        b.append("| … its time (median of ").append(CompactionReadBack.TIMED_RUNS).append(", in turn) | ")
                .append(t.countBefore()).append(" ms | ").append(t.countAfter()).append(" ms |\n");
        b.append("| DuckDB top 10 accounts by `sum(amount)`, time (median of ").append(CompactionReadBack.TIMED_RUNS)
                .append(", in turn) | ").append(t.aggregateBefore()).append(" ms | ").append(t.aggregateAfter())
                .append(" ms").append(before.aggregate().equals(after.aggregate()) ? ", same result"
                        : ", DIFFERENT result").append(" |\n");
        b.append('\n');
        b.append(problems.isEmpty() ? "Checks: every produced source offset exactly once before and after (Iceberg "
                + "reader and DuckDB over exactly the snapshot's files), at most " + MAX_FILES_PER_PARTITION
                + " data files per hour partition after, same aggregate result: **ok**\n"
                : "Checks FAILED:\n" + String.join("\n", problems.stream().map(p -> "* " + p).toList()) + "\n");
        return b.toString();
    }

    private static void row(StringBuilder b, String name, long before, long after) {
        b.append(String.format(Locale.ROOT, "| %s | %,d | %,d |%n", name, before, after));
    }

    private static String rows(Figures f) {
        return String.format(Locale.ROOT, "%,d%s", f.icebergRows(), f.duplicates() + f.missing() + f.unexpected() == 0
                ? "" : " (" + f.duplicates() + " dup, " + f.missing() + " missing, " + f.unexpected() + " unexpected)");
    }

    private static String duck(Figures f) {
        return String.format(Locale.ROOT, "%,d / %,d", f.duckRows(), f.duckDistinct());
    }

    /** {@code 00: 144, 01: 16} by the partition value's last field; a summary past 6 partitions. */
    static String perPartition(Figures f) {
        Map<String, Long> p = f.filesPerPartition();
        if (p.size() > 6) {
            return String.format(Locale.ROOT, "%d partitions, %d–%d", p.size(),
                    p.values().stream().mapToLong(Long::longValue).min().orElse(0), f.maxFilesPerPartition());
        }
        List<String> parts = new ArrayList<>();
        p.forEach((path, n) -> parts.add(path.substring(path.lastIndexOf('-') + 1) + ": " + n));
        return String.join(", ", parts);
    }

    /** Bytes as KiB or MiB with one decimal. */
    static String size(long bytes) {
        return bytes >= 1L << 20 ? String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0)
                : String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
}
