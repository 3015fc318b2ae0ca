package io.lakestream.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * The seam where lakestream's end-to-end run plugs into the benchmark harness.
 *
 * <p>One call runs lakestream from a cold start (fresh application id, empty state under {@code workDir}) over a
 * raw topic that is already full, and returns only when every record has landed as Parquet objects and every
 * aggregate window has been flushed (for Iceberg variants: and every landed file is committed to its table). The harness times it from the call to the moment {@code landed} reports, in a JVM of
 * its own per variant, so the heap, RSS, GC and CPU figures are lakestream's (plus this thin driver); reading the lake
 * back to count what landed comes after and is not timed. Throw on failure; never return partial counts as
 * success: the harness checks {@link RunResult#recordsLanded()} against the records produced.
 */
public interface EndToEndRun {

    /** The implementation the harness runs. */
    static EndToEndRun implementation() {
        return new LakestreamEndToEndRun();
    }

    /**
     * @param landed called once, when the run knows that every record has landed and every window is flushed, with
     *               the {@link System#nanoTime()} at which the last object landed (for Iceberg variants: at which
     *               the tables' current snapshots first held the last file): the end of the timed run. What
     *               follows (confirming that nothing more comes, stopping, reading the lake back) is not timed.
     */
    RunResult run(Request request, LongConsumer landed) throws Exception;

    /**
     * @param bootstrapServers the broker (a separate process, {@code testing.ExternalKafka})
     * @param topic            the raw topic: claims JSON in the shape {@code config/claims.yaml} maps
     *                         ({@code account.id, claimId, amount, currency, status, claimTs, adjuster.name,
     *                         policy}), keyed by account id, event times in order per partition
     * @param partitions       partitions of {@code topic}
     * @param records          records in {@code topic}, none of them malformed
     * @param payloadBytes     key + value bytes in {@code topic}
     * @param firstEventTime   event time of the first record
     * @param lastEventTime    event time of the last record; windows up to it must be flushed before returning
     * @param variant          processing guarantee and store to run with
     * @param workDir          an empty folder for state, local lake, local registry and catalog
     * @param s3               for {@link Variant.Store#S3}: a bucket that exists on the moto server; else empty
     */
    record Request(String bootstrapServers, String topic, int partitions, long records, long payloadBytes,
                   Instant firstEventTime, Instant lastEventTime, Variant variant, Path workDir,
                   Optional<S3Target> s3) {
    }

    /** Where the S3 variants land: a moto server (path-style access, any static credentials). */
    record S3Target(URI endpoint, String region, String bucket, String accessKeyId, String secretAccessKey) {
    }

    /**
     * @param recordsLanded  rows in the records table (must equal the records produced)
     * @param objectsWritten objects written to the store, records and aggregate tables together
     * @param bytesWritten   bytes of those objects
     * @param windowsFlushed aggregate windows flushed
     */
    record RunResult(long recordsLanded, long objectsWritten, long bytesWritten, long windowsFlushed) {
    }
}
