package io.lakestream.config;

import java.time.Duration;

/**
 * {@code catalog.maintenance}: how each Iceberg table's committer keeps the table fast to query.
 *
 * @param enabled         whether the service runs maintenance passes (and {@code run --until-caught-up} ends with one)
 * @param interval        time between two passes of a table in the service (default 15m)
 * @param targetFileSize  size compaction packs a partition's small files into (default 128 MiB)
 * @param rowGroupSize    Parquet row-group size of a compacted file (default 128 MiB, Iceberg's own): readers
 *                        (DuckDB, Trino/Athena, Spark) split a file by row groups, so a compacted file of several
 *                        groups is read by several threads where one group would be read by one; a smaller size did
 *                        not pay on two cores (README, Iceberg maintenance), so the default is unchanged
 * @param maxBytesPerPass data read for rewriting per table and pass, so appends keep their cadence (default 512 MiB)
 * @param minAge          extra wall-clock age a closed partition's newest commit must have before it is compacted
 *                        (default 0s: closed by event time is enough)
 * @param keepSnapshots   snapshots always kept, newest first (default 10)
 * @param keepHistory     snapshots younger than this are kept: the time-travel window (default 1d)
 * @param orphanAge       files under the table's location that no snapshot lists are deleted once older than this,
 *                        longer than any write can take (default 3d)
 */
public record MaintenanceConfig(boolean enabled, Duration interval, long targetFileSize, long rowGroupSize,
                                long maxBytesPerPass, Duration minAge, int keepSnapshots, Duration keepHistory,
                                Duration orphanAge) {

    public static final MaintenanceConfig DEFAULTS = new MaintenanceConfig(true, Duration.ofMinutes(15),
            128L << 20, 128L << 20, 512L << 20, Duration.ZERO, 10, Duration.ofDays(1), Duration.ofDays(3));

    /** Files below this share of the target are small: compaction packs them, larger ones are left as they are. */
    public long smallFileBound() {
        return targetFileSize * 3 / 4;
    }
}
