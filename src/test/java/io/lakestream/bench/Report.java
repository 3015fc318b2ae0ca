package io.lakestream.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;

/**
 * Renders results: one machine-readable {@code BENCH ...} line per variant (every key always present, {@code NA}
 * where a figure does not apply or the variant did not run) and a markdown table of one row per variant (the
 * median run when it ran several times). Ratios are to the baseline of the same record size in the same run.
 */
final class Report {

    private Report() {
    }

    static String line(VariantResult r, Optional<VariantResult> baseline) {
        return "BENCH variant=" + r.variant() + " size=" + r.recordSize() + " status=" + r.status().id()
                + " records=" + count(r.records()) + " seconds=" + num(r.ok() ? r.seconds() : Double.NaN, 3)
                + " rps=" + num(r.recordsPerSecond(), 0) + " mbps=" + num(r.mibPerSecond(), 2)
                + " ratio=" + num(ratio(r, baseline), 2) + " objects=" + count(r.objects())
                + " heap_peak_mb=" + num(VariantResult.mib(r.heapPeakBytes()), 0)
                + " heap_live_mb=" + num(VariantResult.mib(r.heapLiveBytes()), 0)
                + " rss_peak_mb=" + num(VariantResult.mib(r.rssPeakBytes()), 0)
                + " gc_ms=" + count(r.gcMillis())
                + " cpu_s=" + num(seconds(r.cpuMillis()), 1) + " jit_s=" + num(seconds(r.jitMillis()), 1)
                + " broker_cpu_s=" + num(seconds(r.brokerCpuMillis()), 1)
                + " cpu_us_per_record=" + num(perRecord(r), 0)
                + (r.reason() == null ? "" : " reason=\"" + r.reason().replace('"', '\'') + "\"");
    }

    /**
     * One row per (record size, variant), in the order first run: the run with the median records/s when the
     * variant ran several times ({@code bench.repeat}), with how many runs and their slowest and fastest rate. A
     * variant that failed or did not run in any of its runs shows that run instead: a failure is never hidden by
     * the other runs.
     */
    record Row(VariantResult result, int runs, double minRps, double maxRps) {
    }

    static List<Row> rows(List<VariantResult> results) {
        Map<String, List<VariantResult>> groups = new LinkedHashMap<>();
        for (VariantResult r : results) {
            groups.computeIfAbsent(r.recordSize() + "/" + r.variant(), k -> new ArrayList<>()).add(r);
        }
        List<Row> rows = new ArrayList<>();
        for (List<VariantResult> runs : groups.values()) {
            Optional<VariantResult> notOk = runs.stream().filter(r -> !r.ok()).findFirst();
            List<VariantResult> byRate = runs.stream()
                    .sorted(Comparator.comparingDouble(VariantResult::recordsPerSecond)).toList();
            VariantResult shown = notOk.orElse(byRate.get((byRate.size() - 1) / 2));
            rows.add(new Row(shown, runs.size(), byRate.get(0).recordsPerSecond(),
                    byRate.get(byRate.size() - 1).recordsPerSecond()));
        }
        return rows;
    }

    static String markdown(MachineInfo machine, String command, List<VariantResult> results) {
        StringBuilder md = new StringBuilder();
        md.append("## lakestream benchmark\n\n")
                .append("- date: ").append(machine.date()).append('\n')
                .append("- machine: ").append(machine.summary()).append('\n')
                .append("- command: `").append(command).append("`\n\n")
                .append("| size (B) | variant | status | records | seconds | records/s | runs | records/s min–max "
                        + "| MiB/s | × baseline | objects | heap peak MiB | heap live MiB | RSS peak MiB | GC ms | CPU s "
                        + "| of it JIT s | broker CPU s | CPU µs/record |\n")
                .append("|---:|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        List<Row> rows = rows(results);
        List<VariantResult> shown = rows.stream().map(Row::result).toList();
        for (Row row : rows) {
            VariantResult r = row.result();
            Optional<VariantResult> baseline = baselineFor(r.recordSize(), shown);
            md.append("| ").append(r.recordSize()).append(" | ").append(r.variant()).append(" | ")
                    .append(r.status().id()).append(r.reason() == null ? "" : ": " + r.reason().replace('|', '/'))
                    .append(" | ").append(cell(count(r.records())))
                    .append(" | ").append(cell(num(r.ok() ? r.seconds() : Double.NaN, 2)))
                    .append(" | ").append(cell(num(r.recordsPerSecond(), 0)))
                    .append(" | ").append(row.runs())
                    .append(" | ").append(row.runs() < 2 || !r.ok() ? "–"
                            : num(row.minRps(), 0) + "–" + num(row.maxRps(), 0))
                    .append(" | ").append(cell(num(r.mibPerSecond(), 2)))
                    .append(" | ").append(cell(num(ratio(r, baseline), 2)))
                    .append(" | ").append(cell(count(r.objects())))
                    .append(" | ").append(cell(num(VariantResult.mib(r.heapPeakBytes()), 0)))
                    .append(" | ").append(cell(num(VariantResult.mib(r.heapLiveBytes()), 0)))
                    .append(" | ").append(cell(num(VariantResult.mib(r.rssPeakBytes()), 0)))
                    .append(" | ").append(cell(count(r.gcMillis())))
                    .append(" | ").append(cell(num(seconds(r.cpuMillis()), 1)))
                    .append(" | ").append(cell(num(seconds(r.jitMillis()), 1)))
                    .append(" | ").append(cell(num(seconds(r.brokerCpuMillis()), 1)))
                    .append(" | ").append(cell(num(perRecord(r), 0))).append(" |\n");
        }
        return md.toString();
    }

    static Optional<VariantResult> baselineFor(int recordSize, List<VariantResult> results) {
        return results.stream()
                .filter(r -> r.recordSize() == recordSize && r.variant().equals(Variant.BASELINE.id()) && r.ok())
                .findFirst();
    }

    /** Variants against the baseline; the producer's rate is not a variant of reading and has no ratio. */
    private static double ratio(VariantResult r, Optional<VariantResult> baseline) {
        if (r.variant().equals(TopicLoader.PRODUCER)) {
            return Double.NaN;
        }
        return baseline.map(b -> r.recordsPerSecond() / b.recordsPerSecond()).orElse(Double.NaN);
    }

    private static double seconds(long millis) {
        return millis < 0 ? Double.NaN : millis / 1000.0;
    }

    /** CPU time of the variant and the broker together per record: what two cores spend to move one. */
    private static double perRecord(VariantResult r) {
        return !r.ok() || r.cpuMillis() < 0 || r.brokerCpuMillis() < 0 || r.records() <= 0 ? Double.NaN
                : (r.cpuMillis() + r.brokerCpuMillis()) * 1000.0 / r.records();
    }

    private static String cell(String value) {
        return value.equals("NA") ? "–" : value;
    }

    private static String count(long value) {
        return value < 0 ? "NA" : Long.toString(value);
    }

    private static String num(double value, int decimals) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "NA"
                : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
