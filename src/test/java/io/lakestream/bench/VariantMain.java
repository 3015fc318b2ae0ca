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

    /** Suffixes of the two results of a run with warm-up passes. */
    static final String COLD = "@cold";
    static final String WARM = "@warm";

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
        try (ProcessStats stats = new ProcessStats()) {
            if (variant == Variant.BASELINE) {
                emit(baseline(a, size, expected, stats));
            } else {
                lakestream(a, variant, size, expected, stats);
            }
        } catch (Exception | OutOfMemoryError e) {
            e.printStackTrace();
            emit(VariantResult.failed(variant.id(), size, e.toString()));
        }
        // Non-daemon threads a failed run may leave behind must not keep this JVM (and the harness) waiting.
        System.exit(0);
    }

    private static VariantResult baseline(Map<String, String> a, int size, long expected, ProcessStats stats) {
        long start = System.nanoTime();
        BaselineConsumer.Read read = BaselineConsumer.readAll(a.get("bootstrap"), a.get("topic"));
        double seconds = (System.nanoTime() - start) / 1e9;
        return measured(Variant.BASELINE.id(), size, expected, read.records(), read.payloadBytes(), seconds, -1,
                stats.snapshot());
    }

    /**
     * A cold run, measured from this JVM's start; with {@code warmup=N}, that cold pass is reported as
     * {@code <variant>@cold} (it is what a scheduled {@code run --until-caught-up} spends), N - 1 more unmeasured
     * passes follow, and the pass after them is reported as {@code <variant>@warm}: code the JIT has compiled, as
     * in a service after its first minutes. Each pass has its own application id, topics and lake folder.
     */
    private static void lakestream(Map<String, String> a, Variant variant, int size, long expected,
                                   ProcessStats stats) throws Exception {
        int warmups = Integer.parseInt(a.getOrDefault("warmup", "0"));
        if (warmups > 0 && a.containsKey("s3Endpoint")) {
            // One bucket per run: the objects of the warm-up passes would be counted with the measured pass's.
            throw new IllegalArgumentException("bench.warmup applies to the local-folder variants");
        }
        Path workDir = Path.of(a.get("workDir"));
        if (warmups == 0) {
            emit(pass(a, variant, variant.id(), size, expected, workDir, stats));
            return;
        }
        emit(pass(a, variant, variant.id() + COLD, size, expected, workDir.resolve("pass-1"), stats));
        for (int n = 2; n <= warmups; n++) {
            pass(a, variant, variant.id(), size, expected, workDir.resolve("pass-" + n), stats);
        }
        try (ProcessStats warm = new ProcessStats()) {
            emit(pass(a, variant, variant.id() + WARM, size, expected, workDir, warm));
        }
    }

    /** One run of the pipeline over the topic, timed from {@code stats}' start to its last landing. */
    private static VariantResult pass(Map<String, String> a, Variant variant, String name, int size, long expected,
                                      Path workDir, ProcessStats stats) throws Exception {
        Optional<EndToEndRun.S3Target> s3 = a.containsKey("s3Endpoint")
                ? Optional.of(new EndToEndRun.S3Target(URI.create(a.get("s3Endpoint")), MotoServer.REGION,
                        a.get("bucket"), MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY))
                : Optional.empty();
        long payloadBytes = Long.parseLong(a.get("bytes"));
        long brokerPid = Long.parseLong(a.getOrDefault("brokerPid", "-1"));
        long brokerCpuBefore = brokerPid < 0 ? -1 : ProcessStats.cpuMillisOf(brokerPid);
        EndToEndRun.Request request = new EndToEndRun.Request(a.get("bootstrap"), a.get("topic"),
                Integer.parseInt(a.get("partitions")), expected, payloadBytes, Instant.parse(a.get("first")),
                Instant.parse(a.get("last")), variant, workDir, s3);
        long start = System.nanoTime();
        long[] landedAt = {-1};
        ProcessStats.Snapshot[] atLanding = {null};
        long[] brokerCpuAtLanding = {-1};
        EndToEndRun.RunResult r = EndToEndRun.implementation().run(request, lastLandingNanos -> {
            landedAt[0] = lastLandingNanos;
            atLanding[0] = stats.snapshot();
            brokerCpuAtLanding[0] = brokerPid < 0 ? -1 : ProcessStats.cpuMillisOf(brokerPid);
        });
        if (landedAt[0] < 0) {
            throw new IllegalStateException("the run returned without saying when everything had landed");
        }
        double seconds = (landedAt[0] - start) / 1e9;
        VariantResult result = measured(name, size, expected, r.recordsLanded(), payloadBytes, seconds,
                r.objectsWritten(), atLanding[0]);
        return brokerCpuBefore >= 0 && brokerCpuAtLanding[0] >= 0
                ? result.withBrokerCpu(brokerCpuAtLanding[0] - brokerCpuBefore) : result;
    }

    private static void emit(VariantResult result) {
        System.out.println(result.toWire());
        System.out.flush();
    }

    private static VariantResult measured(String name, int size, long expected, long records, long bytes,
                                          double seconds, long objects, ProcessStats.Snapshot s) {
        VariantResult result = new VariantResult(name, size, VariantResult.Status.OK, null, records, bytes,
                seconds, objects, s.heapPeakBytes(), s.heapLiveBytes(), s.rssPeakBytes(), s.gcMillis(),
                s.cpuMillis(), -1, s.jitMillis());
        // A run that lost or duplicated records is not a faster run: report it failed, with its figures.
        return records == expected ? result
                : result.withStatus(VariantResult.Status.FAILED,
                        records + " records landed, " + expected + " produced");
    }
}
