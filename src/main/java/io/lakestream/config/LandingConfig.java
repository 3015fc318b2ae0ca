package io.lakestream.config;

import java.time.Duration;
import java.util.List;

/**
 * How a table's rows are batched into objects.
 *
 * @param table       table name (records table default: the pipeline name)
 * @param window      landing window: one object per (partition values, window, source partition); default 100s
 * @param grace       how long after window end a window stays open for out-of-order records (default 30s)
 * @param idleTimeout wall-clock time without input after which a partition's open windows close (default 60s)
 * @param partitionBy Hive partition columns derived from event time (UTC): any of dt, hour; default [dt, hour]
 * @param format      file format (default: lake.format)
 */
public record LandingConfig(String table, java.time.Duration window, Duration grace, Duration idleTimeout,
                            List<String> partitionBy, FileFormat format) {
}
