package io.lakestream.bench;

import io.lakestream.testing.ExternalKafka;
import io.lakestream.testing.MotoServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The end-to-end benchmark: one broker process, one raw topic per record size filled with synthetic claims, then
 * each variant in its own JVM, one after the other (never two at once: on 2 cores they would measure each other).
 * Prints a {@code BENCH ...} line per variant as it finishes and a markdown table at the end, also written to
 * {@code target/bench/results.md}. Run by {@code mvn -B -Pbench verify}; options in {@link BenchOptions}.
 */
public final class LakeBenchmark {

    private final BenchOptions options;
    private final List<VariantResult> results = new ArrayList<>();

    LakeBenchmark(BenchOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        BenchLogging.quiet();
        BenchOptions options = BenchOptions.from(System.getProperties());
        MachineInfo machine = MachineInfo.capture();
        System.out.println(machine.benchLine());
        System.out.println("BENCH-OPTIONS " + options);
        List<VariantResult> results = new LakeBenchmark(options).runAll();
        String table = Report.markdown(machine, options.command(), results);
        Path file = options.outDir().resolve("results.md");
        Files.writeString(file, table);
        System.out.println();
        System.out.println(table);
        System.out.println("Written to " + file.toAbsolutePath());
    }

    List<VariantResult> runAll() throws Exception {
        Path work = BenchDirs.fresh(options.outDir().resolve("work"));
        try (ExternalKafka kafka = new ExternalKafka(Map.of(), options.brokerHeap(),
                // -Dbench.brokerJvmArgs="...": a profiler agent for the broker, as bench.jvmArgs is for the variants
                BenchOptions.jvmOptions("bench.brokerJvmArgs"));
             MotoServer moto = options.needsS3() ? MotoServer.start(options.outDir().resolve("logs/moto.log")) : null) {
            kafka.start();
            System.out.println("BENCH-BROKER pid=" + kafka.pid() + " bootstrap=" + kafka.bootstrapServers());
            for (int size : options.recordSizes()) {
                ClaimGenerator claims = new ClaimGenerator(options.records(), size, options.windows(),
                        ClaimGenerator.DEFAULT_START, 42L);
                TopicLoader.LoadedTopic topic = TopicLoader.load(kafka, "bench.claims.raw." + size
                        + "b", options.partitions(), claims, size);
                System.out.printf("BENCH-TOPIC topic=%s records=%d avg_bytes=%.0f first=%s last=%s%n", topic.topic(),
                        topic.records(), (double) topic.payloadBytes() / topic.records(), topic.firstEventTime(),
                        topic.lastEventTime());
                record(topic.asProducerResult());
                for (int run = 1; run <= options.repeat(); run++) {
                    for (Variant variant : options.variants()) {
                        runVariant(variant, topic, kafka, moto, work.resolve(size + "-" + variant.id()
                                + (options.repeat() > 1 ? "-" + run : ""))).forEach(this::record);
                    }
                }
            }
            // Gracefully, not the kill of close(): a profiler agent in the broker (bench.brokerJvmArgs) writes its
            // output when the JVM exits.
            kafka.stop();
        }
        return results;
    }

    private List<VariantResult> runVariant(Variant variant, TopicLoader.LoadedTopic topic, ExternalKafka kafka,
                                     MotoServer moto, Path workDir) throws IOException, InterruptedException {
        Optional<EndToEndRun.S3Target> s3 = Optional.empty();
        if (variant.store() == Variant.Store.S3) {
            // one bucket per run: a repeated run must not count the objects of the one before
            String bucket = ("bench-" + workDir.getFileName()).toLowerCase(java.util.Locale.ROOT);
            try (S3Client client = moto.clients().s3()) {
                client.createBucket(b -> b.bucket(bucket));
            }
            s3 = Optional.of(new EndToEndRun.S3Target(moto.endpoint(), MotoServer.REGION, bucket,
                    MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY));
        }
        Set<String> raw = Set.of(topic.topic());
        KafkaWrites.Totals before = variant.isLakestream() ? KafkaWrites.snapshot(kafka.bootstrapServers(), raw) : null;
        long brokerCpu = ProcessStats.cpuMillisOf(kafka.pid());
        List<VariantResult> results = VariantProcess.run(variant, topic, kafka.bootstrapServers(), kafka.pid(),
                options, workDir, s3);
        long brokerCpuAfter = ProcessStats.cpuMillisOf(kafka.pid());
        if (before != null) {
            // Warm-up passes write as the measured pass does (topics of their own): the figures are per pass.
            int passes = 1 + options.warmup();
            KafkaWrites.Totals w = KafkaWrites.snapshot(kafka.bootstrapServers(), raw).minus(before);
            System.out.printf("BENCH-KAFKA variant=%s size=%d passes=%d records_written=%d bytes_written=%d "
                            + "normalized_records=%d normalized_bytes=%d records_per_input=%.3f bytes_per_input=%.3f "
                            + "bytes_vs_normalized=%.3f%n", variant.id(), topic.recordSize(), passes, w.records(),
                    w.bytes(), w.normalizedRecords(), w.normalizedBytes(),
                    (double) w.records() / passes / topic.records(), (double) w.bytes() / passes / topic.payloadBytes(),
                    w.normalizedBytes() == 0 ? Double.NaN : (double) w.bytes() / w.normalizedBytes());
        }
        // The variant measures the broker around each pass it reports; the whole JVM's span where it could not.
        return results.stream().map(r -> r.brokerCpuMillis() >= 0 || brokerCpu < 0 || brokerCpuAfter < 0 ? r
                : r.withBrokerCpu(brokerCpuAfter - brokerCpu)).toList();
    }

    private void record(VariantResult result) {
        results.add(result);
        System.out.println(Report.line(result, Report.baselineFor(result.recordSize(), results)));
    }
}
