package io.lakestream.bench;

import io.lakestream.testing.MotoServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one variant in a JVM of its own and prints one {@link VariantResult} line on stdout, so that the heap,
 * RSS and GC figures belong to that variant alone (the harness, the producer and the broker live elsewhere).
 * Arguments are {@code key=value}: see {@link VariantProcess}.
 */
public final class VariantMain {

    private VariantMain() {
    }

    public static void main(String[] args) {
        BenchLogging.quiet();
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        Variant variant = Variant.of(a.get("variant"));
        int size = Integer.parseInt(a.get("size"));
        long expected = Long.parseLong(a.get("records"));
        VariantResult result;
        try (ProcessStats stats = new ProcessStats()) {
            result = variant == Variant.BASELINE
                    ? baseline(a, size, expected, stats)
                    : lakestream(a, variant, size, expected, stats);
        } catch (Exception | OutOfMemoryError e) {
            e.printStackTrace();
            result = VariantResult.failed(variant.id(), size, e.toString());
        }
        System.out.println(result.toWire());
        System.out.flush();
        // Non-daemon threads a failed run may leave behind must not keep this JVM (and the harness) waiting.
        System.exit(0);
    }

    private static VariantResult baseline(Map<String, String> a, int size, long expected, ProcessStats stats) {
        long start = System.nanoTime();
        BaselineConsumer.Read read = BaselineConsumer.readAll(a.get("bootstrap"), a.get("topic"));
        double seconds = (System.nanoTime() - start) / 1e9;
        return measured(Variant.BASELINE, size, expected, read.records(), read.payloadBytes(), seconds, -1,
                stats.snapshot());
    }

    private static VariantResult lakestream(Map<String, String> a, Variant variant, int size, long expected,
                                            ProcessStats stats) throws Exception {
        Optional<EndToEndRun.S3Target> s3 = a.containsKey("s3Endpoint")
                ? Optional.of(new EndToEndRun.S3Target(URI.create(a.get("s3Endpoint")), MotoServer.REGION,
                        a.get("bucket"), MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY))
                : Optional.empty();
        long payloadBytes = Long.parseLong(a.get("bytes"));
        EndToEndRun run = EndToEndRun.implementation();
        int warmups = Integer.parseInt(a.getOrDefault("warmup", "0"));
        if (warmups > 0 && s3.isPresent()) {
            // One bucket per run: the objects of the warm-up passes would be counted with the measured pass's.
            throw new IllegalArgumentException("bench.warmup applies to the local-folder variants");
        }
        Path workDir = Path.of(a.get("workDir"));
        // Warm: the same run over the same topic first (a fresh application id and topics of its own each time), so
        // the measured pass meets code the JIT has compiled, as a service does after its first minutes.
        for (int pass = 1; pass <= warmups; pass++) {
            EndToEndRun.RunResult w = run.run(request(a, variant, expected, payloadBytes,
                    workDir.resolve("warmup-" + pass), s3), lastLandingNanos -> { });
            if (w.recordsLanded() != expected) {
                throw new IllegalStateException("warm-up pass " + pass + " landed " + w.recordsLanded()
                        + " records of " + expected);
            }
        }
        long brokerPid = Long.parseLong(a.getOrDefault("brokerPid", "-1"));
        long brokerCpuBefore = brokerPid < 0 ? -1 : ProcessStats.cpuMillisOf(brokerPid);
        try (ProcessStats measuredStats = warmups > 0 ? new ProcessStats() : null) {
            ProcessStats s = measuredStats != null ? measuredStats : stats;
            long start = System.nanoTime();
            long[] landedAt = {-1};
            ProcessStats.Snapshot[] atLanding = {null};
            long[] brokerCpuAtLanding = {-1};
            EndToEndRun.RunResult r = run.run(request(a, variant, expected, payloadBytes, workDir, s3),
                    lastLandingNanos -> {
                        landedAt[0] = lastLandingNanos;
                        atLanding[0] = s.snapshot();
                        brokerCpuAtLanding[0] = brokerPid < 0 ? -1 : ProcessStats.cpuMillisOf(brokerPid);
                    });
            if (landedAt[0] < 0) {
                throw new IllegalStateException("the run returned without saying when everything had landed");
            }
            double seconds = (landedAt[0] - start) / 1e9;
            VariantResult result = measured(variant, size, expected, r.recordsLanded(), payloadBytes, seconds,
                    r.objectsWritten(), atLanding[0]);
            // After warm-up passes only the harness's figure over the whole JVM would count them too.
            return warmups > 0 && brokerCpuBefore >= 0 && brokerCpuAtLanding[0] >= 0
                    ? result.withBrokerCpu(brokerCpuAtLanding[0] - brokerCpuBefore) : result;
        }
    }

    private static EndToEndRun.Request request(Map<String, String> a, Variant variant, long expected,
                                               long payloadBytes, Path workDir, Optional<EndToEndRun.S3Target> s3) {
        return new EndToEndRun.Request(a.get("bootstrap"), a.get("topic"), Integer.parseInt(a.get("partitions")),
                expected, payloadBytes, Instant.parse(a.get("first")), Instant.parse(a.get("last")), variant, workDir,
                s3);
    }

    private static VariantResult measured(Variant variant, int size, long expected, long records, long bytes,
                                          double seconds, long objects, ProcessStats.Snapshot s) {
        VariantResult result = new VariantResult(variant.id(), size, VariantResult.Status.OK, null, records, bytes,
                seconds, objects, s.heapPeakBytes(), s.heapLiveBytes(), s.rssPeakBytes(), s.gcMillis(),
                s.cpuMillis(), -1, s.jitMillis());
        // A run that lost or duplicated records is not a faster run: report it failed, with its figures.
        return records == expected ? result
                : result.withStatus(VariantResult.Status.FAILED,
                        records + " records landed, " + expected + " produced");
    }
}
