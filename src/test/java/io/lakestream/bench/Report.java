package io.lakestream.bench;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Renders results: one machine-readable {@code BENCH ...} line per variant (every key always present, {@code NA}
 * where a figure does not apply or the variant did not run) and a markdown table. Ratios are to the baseline of the
 * same record size in the same run.
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
                + " cpu_s=" + num(seconds(r.cpuMillis()), 1) + " broker_cpu_s=" + num(seconds(r.brokerCpuMillis()), 1)
                + " cpu_us_per_record=" + num(perRecord(r), 0)
                + (r.reason() == null ? "" : " reason=\"" + r.reason().replace('"', '\'') + "\"");
    }

    static String markdown(MachineInfo machine, String command, List<VariantResult> results) {
        StringBuilder md = new StringBuilder();
        md.append("## lakestream benchmark\n\n")
                .append("- date: ").append(machine.date()).append('\n')
                .append("- machine: ").append(machine.summary()).append('\n')
                .append("- command: `").append(command).append("`\n\n")
                .append("| size (B) | variant | status | records | seconds | records/s | MiB/s | × baseline | objects "
                        + "| heap peak MiB | heap live MiB | RSS peak MiB | GC ms | CPU s | broker CPU s "
                        + "| CPU µs/record |\n")
                .append("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (VariantResult r : results) {
            Optional<VariantResult> baseline = baselineFor(r.recordSize(), results);
            md.append("| ").append(r.recordSize()).append(" | ").append(r.variant()).append(" | ")
                    .append(r.status().id()).append(r.reason() == null ? "" : ": " + r.reason().replace('|', '/'))
                    .append(" | ").append(cell(count(r.records())))
                    .append(" | ").append(cell(num(r.ok() ? r.seconds() : Double.NaN, 2)))
                    .append(" | ").append(cell(num(r.recordsPerSecond(), 0)))
                    .append(" | ").append(cell(num(r.mibPerSecond(), 2)))
                    .append(" | ").append(cell(num(ratio(r, baseline), 2)))
                    .append(" | ").append(cell(count(r.objects())))
                    .append(" | ").append(cell(num(VariantResult.mib(r.heapPeakBytes()), 0)))
                    .append(" | ").append(cell(num(VariantResult.mib(r.heapLiveBytes()), 0)))
                    .append(" | ").append(cell(num(VariantResult.mib(r.rssPeakBytes()), 0)))
                    .append(" | ").append(cell(count(r.gcMillis())))
                    .append(" | ").append(cell(num(seconds(r.cpuMillis()), 1)))
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
