package io.lakestream.bench;

import java.nio.file.Path;
import java.util.Properties;

/**
 * Options of the compaction benchmark ({@link CompactionBenchmark}), from system properties; an empty value means
 * the default (the {@code bench} Maven profile forwards every property, empty unless given on the command line).
 *
 * @param records    claims produced ({@code bench.compaction.records}, default 2,000,000)
 * @param windows    100 s event-time windows the claims are spread over ({@code bench.compaction.windows}, default
 *                   40: an hour and 400 s, so the hour partitions are one full hour and the start of the next)
 * @param partitions partitions of the raw topic ({@code bench.partitions})
 * @param recordSize target size of a claim's JSON ({@code bench.compaction.recordSize}, default 200)
 * @param rowGroupSize {@code catalog.maintenance.row-group-size} of the run ({@code bench.compaction.rowGroupSize},
 *                   e.g. {@code 128MiB}), or null for lakestream's default
 * @param heap       {@code -Xmx} of lakestream's JVMs ({@code run} and {@code maintain})
 * @param brokerHeap {@code -Xmx} of the broker process
 * @param outDir     where the work folder, the logs and {@code compaction.md} go
 */
record CompactionOptions(long records, int windows, int partitions, int recordSize, String rowGroupSize,
                         String heap, String brokerHeap, Path outDir) {

    CompactionOptions {
        if (records <= 0 || windows <= 0 || partitions <= 0 || recordSize <= 0) {
            throw new IllegalArgumentException("bench.compaction.records, .windows, .recordSize and bench.partitions "
                    + "must be positive");
        }
    }

    static CompactionOptions from(Properties p) {
        return new CompactionOptions(Long.parseLong(IcebergBenchOptions.get(p, "bench.compaction.records", "2000000")),
                Integer.parseInt(IcebergBenchOptions.get(p, "bench.compaction.windows", "40")),
                Integer.parseInt(IcebergBenchOptions.get(p, "bench.partitions", "4")),
                Integer.parseInt(IcebergBenchOptions.get(p, "bench.compaction.recordSize", "200")),
                IcebergBenchOptions.get(p, "bench.compaction.rowGroupSize", null),
                IcebergBenchOptions.get(p, "bench.heap", "512m"), IcebergBenchOptions.get(p, "bench.brokerHeap", "512m"),
                Path.of(IcebergBenchOptions.get(p, "bench.out", "target/bench")));
    }

    /** The command that reproduces this run. */
    String command() {
        return "mvn -B -Pbench test -Dbench.main=" + CompactionBenchmark.class.getName() + " -Dbench.compaction.records="
                + records + " -Dbench.compaction.windows=" + windows + " -Dbench.partitions=" + partitions
                + " -Dbench.compaction.recordSize=" + recordSize
                + (rowGroupSize == null ? "" : " -Dbench.compaction.rowGroupSize=" + rowGroupSize);
    }
}
