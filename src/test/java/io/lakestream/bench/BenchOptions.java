package io.lakestream.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * Harness options, read from system properties ({@code -Dbench.records=200000} etc.; the {@code bench} Maven
 * profile forwards them). Defaults are what the published figures use.
 *
 * @param records      records produced per record size
 * @param recordSizes  target record value sizes in bytes ({@code bench.recordSize=200,1000})
 * @param variants     variants to run, in this order ({@code bench.variants=baseline,eos-local,...})
 * @param partitions   partitions of the raw topic
 * @param windows      100 s event-time windows the records are spread over
 * @param repeat       runs of each variant per record size, interleaved (baseline, eos, alos, baseline, ...); the
 *                     table shows the median run of each
 * @param variantHeap  {@code -Xmx} of each variant's JVM (lakestream's goal is to run within 512 MiB)
 * @param brokerHeap   {@code -Xmx} of the broker process
 * @param outDir       where logs, work folders and results.md go
 * @param timeoutSeconds a variant still running after this is killed and reported failed
 * @param warmup       passes of each lakestream variant over the topic, in its JVM, before the measured one
 *                     ({@code bench.warmup}; 0: one cold run). With N &gt; 0 the first pass is reported as
 *                     {@code <variant>@cold} and pass N + 1 as {@code <variant>@warm}; local-folder variants only
 */
record BenchOptions(long records, List<Integer> recordSizes, List<Variant> variants, int partitions, int windows,
                    int repeat, String variantHeap, String brokerHeap, Path outDir, long timeoutSeconds, int warmup) {

    static final String ALL_VARIANTS = "baseline,eos-local,eos-s3,alos-local,alos-s3,eos-local-records,"
            + "alos-local-records,eos-local-expr,eos-iceberg-records,eos-iceberg";

    BenchOptions {
        if (records <= 0 || partitions <= 0 || windows <= 0 || repeat <= 0 || timeoutSeconds <= 0) {
            throw new IllegalArgumentException("bench.records, bench.partitions, bench.windows, bench.repeat and "
                    + "bench.timeoutSeconds must be positive");
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("bench.warmup must not be negative");
        }
        if (recordSizes.isEmpty() || variants.isEmpty()) {
            throw new IllegalArgumentException("bench.recordSize and bench.variants must name at least one value");
        }
        recordSizes = List.copyOf(recordSizes);
        variants = List.copyOf(variants);
    }

    static BenchOptions from(Properties p) {
        List<Integer> sizes = new ArrayList<>();
        for (String s : split(p.getProperty("bench.recordSize", "200,1000"))) {
            sizes.add(Integer.parseInt(s));
        }
        List<Variant> variants = new ArrayList<>();
        for (String v : split(p.getProperty("bench.variants", ALL_VARIANTS))) {
            Variant variant = Variant.of(v);
            if (!variants.contains(variant)) {
                variants.add(variant);
            }
        }
        // The baseline first: every other variant's ratio refers to it.
        variants.sort((a, b) -> Boolean.compare(a != Variant.BASELINE, b != Variant.BASELINE));
        return new BenchOptions(Long.parseLong(p.getProperty("bench.records", "200000")), sizes, variants,
                Integer.parseInt(p.getProperty("bench.partitions", "4")),
                Integer.parseInt(p.getProperty("bench.windows", "200")),
                Integer.parseInt(p.getProperty("bench.repeat", "1")),
                p.getProperty("bench.heap", "512m"), p.getProperty("bench.brokerHeap", "512m"),
                Path.of(p.getProperty("bench.out", "target/bench")),
                Long.parseLong(p.getProperty("bench.timeoutSeconds", "1800")),
                Integer.parseInt(p.getProperty("bench.warmup", "0")));
    }

    boolean needsS3() {
        return variants.stream().anyMatch(v -> v.store() == Variant.Store.S3);
    }

    /** The command that reproduces this run, for the report. */
    String command() {
        return "mvn -B -Pbench test -Dbench.records=" + records + " -Dbench.recordSize="
                + String.join(",", recordSizes.stream().map(String::valueOf).toList()) + " -Dbench.variants="
                + String.join(",", variants.stream().map(Variant::id).toList()) + " -Dbench.partitions=" + partitions
                + " -Dbench.windows=" + windows + (repeat > 1 ? " -Dbench.repeat=" + repeat : "")
                + (warmup > 0 ? " -Dbench.warmup=" + warmup : "");
    }

    /** JVM options from the system property {@code name}, space separated ({@code bench.jvmArgs} and the like). */
    static List<String> jvmOptions(String name) {
        return Arrays.stream(System.getProperty(name, "").trim().split("\\s+")).filter(o -> !o.isEmpty()).toList();
    }

    private static List<String> split(String csv) {
        return Arrays.stream(csv.split("[,|]")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
