package io.lakestream.config;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a table's rows are batched into objects.
 *
 * @param table       table name (records table default: the pipeline name)
 * @param window      landing window: one object per (partition values, window, source partition); default 100s
 * @param grace       how long after window end a window stays open for out-of-order records (default 30s)
 * @param idleTimeout wall-clock time without input after which a partition's open windows close (default 60s)
 * @param partitionBy Hive partition columns derived from event time (UTC): any of dt, hour; default [dt, hour]
 * @param format      file format (default: lake.format)
 * @param routeBy     sends records to several tables by a field's value; null: every record to {@code table}
 * @param maxPartitionValues distinct partition value lists a sink task lands per landing window and table (Hive
 *                    tables partitioned by a field); records beyond them land in the overflow partition
 */
public record LandingConfig(String table, java.time.Duration window, Duration grace, Duration idleTimeout,
                            List<String> partitionBy, FileFormat format, RouteBy routeBy, int maxPartitionValues) {

    /** Default of {@code landing.max-partition-values}. */
    public static final int DEFAULT_MAX_PARTITION_VALUES = 500;

    /** A records table with the default bound on partition values. */
    public LandingConfig(String table, Duration window, Duration grace, Duration idleTimeout, List<String> partitionBy,
                         FileFormat format, RouteBy routeBy) {
        this(table, window, grace, idleTimeout, partitionBy, format, routeBy, DEFAULT_MAX_PARTITION_VALUES);
    }

    /** A records table without routing. */
    public LandingConfig(String table, Duration window, Duration grace, Duration idleTimeout, List<String> partitionBy,
                         FileFormat format) {
        this(table, window, grace, idleTimeout, partitionBy, format, null);
    }

    /**
     * @param field  top-level string, enum, int or long field whose value picks the table
     * @param tables field value (its text; enum symbol) → table; a value not listed goes to {@code table}, the default
     */
    public record RouteBy(String field, Map<String, String> tables) {
    }

    /** Every table this landing writes: the routed ones, then the default. */
    public List<String> tables() {
        Set<String> out = new LinkedHashSet<>();
        if (routeBy != null) {
            out.addAll(routeBy.tables().values());
        }
        out.add(table);
        return List.copyOf(out);
    }
}
