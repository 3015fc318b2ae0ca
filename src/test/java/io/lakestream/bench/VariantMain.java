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
        EndToEndRun.Request request = new EndToEndRun.Request(a.get("bootstrap"), a.get("topic"),
                Integer.parseInt(a.get("partitions")), expected, payloadBytes, Instant.parse(a.get("first")),
                Instant.parse(a.get("last")), variant, Path.of(a.get("workDir")), s3);
        EndToEndRun run = EndToEndRun.implementation();
        long start = System.nanoTime();
        long[] landedAt = {-1};
        ProcessStats.Snapshot[] atLanding = {null};
        EndToEndRun.RunResult r = run.run(request, lastLandingNanos -> {
            landedAt[0] = lastLandingNanos;
            atLanding[0] = stats.snapshot();
        });
        if (landedAt[0] < 0) {
            throw new IllegalStateException("the run returned without saying when everything had landed");
        }
        double seconds = (landedAt[0] - start) / 1e9;
        return measured(variant, size, expected, r.recordsLanded(), payloadBytes, seconds, r.objectsWritten(),
                atLanding[0]);
    }

    private static VariantResult measured(Variant variant, int size, long expected, long records, long bytes,
                                          double seconds, long objects, ProcessStats.Snapshot s) {
        VariantResult result = new VariantResult(variant.id(), size, VariantResult.Status.OK, null, records, bytes,
                seconds, objects, s.heapPeakBytes(), s.heapLiveBytes(), s.rssPeakBytes(), s.gcMillis(),
                s.cpuMillis(), -1);
        // A run that lost or duplicated records is not a faster run: report it failed, with its figures.
        return records == expected ? result
                : result.withStatus(VariantResult.Status.FAILED,
                        records + " records landed, " + expected + " produced");
    }
}
