package io.lakestream.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Launches {@link VariantMain} in a fresh JVM with this JVM's class path, and reads back its result lines (one, or
 * a cold and a warm one with warm-up passes).
 */
final class VariantProcess {

    private VariantProcess() {
    }

    /**
     * @param s3 the moto endpoint and bucket for S3 variants
     */
    static List<VariantResult> run(Variant variant, TopicLoader.LoadedTopic topic, String bootstrap, long brokerPid,
                             BenchOptions options, Path workDir, Optional<EndToEndRun.S3Target> s3)
            throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        Path log = options.outDir().resolve("logs").resolve(topic.recordSize() + "-" + variant.id() + ".log");
        Files.createDirectories(log.getParent());
        Path argFile = workDir.resolve("java.args");
        Files.writeString(argFile, "-cp \"" + System.getProperty("java.class.path").replace("\\", "\\\\") + "\"\n");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + options.variantHeap(),
                "@" + argFile,
                // -Dbench.profile=true: a JFR recording per variant, next to its log, for finding hot paths
                Boolean.getBoolean("bench.profile")
                        ? "-XX:StartFlightRecording=settings=profile,filename=" + log.toString().replace(".log", ".jfr")
                        : "-Dbench.profile=false",
                // -Dbench.kafka=k=v;k=v: Kafka Streams settings laid over config/claims.yaml's, for tuning runs
                "-Dbench.kafka=" + System.getProperty("bench.kafka", "")));
        // -Dbench.jvmArgs="...": extra options of each variant's JVM (a profiler agent, GC settings)
        command.addAll(BenchOptions.jvmOptions("bench.jvmArgs"));
        command.addAll(List.of(
                VariantMain.class.getName(),
                "variant=" + variant.id(),
                "size=" + topic.recordSize(),
                "bootstrap=" + bootstrap,
                "topic=" + topic.topic(),
                "partitions=" + topic.partitions(),
                "records=" + topic.records(),
                "bytes=" + topic.payloadBytes(),
                "first=" + topic.firstEventTime(),
                "last=" + topic.lastEventTime(),
                "workDir=" + workDir.toAbsolutePath(),
                "brokerPid=" + brokerPid,
                // -Dbench.warmup=N: N unmeasured passes over the topic in the same JVM before the measured one
                "warmup=" + options.warmup()));
        s3.ifPresent(t -> {
            command.add("s3Endpoint=" + t.endpoint());
            command.add("bucket=" + t.bucket());
        });
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // A harness stopped with Ctrl-C must not leave a variant running (and measuring) in the background.
        Thread reaper = new Thread(p::destroyForcibly, "variant-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        try {
            if (!p.waitFor(options.timeoutSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                return List.of(VariantResult.failed(variant.id(), topic.recordSize(),
                        "no result within " + options.timeoutSeconds() + " s; see " + log));
            }
        } finally {
            Runtime.getRuntime().removeShutdownHook(reaper);
        }
        List<VariantResult> results = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .filter(l -> l.startsWith(VariantResult.WIRE_PREFIX)).map(VariantResult::fromWire).toList();
        return !results.isEmpty() ? results : List.of(VariantResult.failed(variant.id(), topic.recordSize(),
                "variant JVM exited " + p.exitValue() + " without a result; see " + log));
    }
}
