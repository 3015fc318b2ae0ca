package io.lakestream.config;

import java.time.Duration;
import java.util.List;

/**
 * A windowed aggregation over one pipeline's normalized records; its final results (one per key and window,
 * emitted when the window closes) go to {@code topic} and land in the aggregates table {@code table}.
 *
 * @param name     aggregation name
 * @param groupBy  Avro fields to group by (re-key + repartition)
 * @param window   window definition
 * @param measures measures computed per group and window
 * @param topic    output topic, default {@code <pipeline>.<name>}
 * @param table    aggregates table, default {@code <name>}
 * @param format   file format (default: lake.format)
 */
public record AggregationConfig(String name, List<String> groupBy, WindowConfig window, List<MeasureConfig> measures,
                                String topic, String table, FileFormat format) {

    /**
     * @param size        window size (default 100s)
     * @param advance     hop; equal to size for tumbling windows (default)
     * @param grace       grace period after window end (default 30s)
     * @param idleTimeout wall-clock idle bound after which open windows close (default 60s)
     */
    public record WindowConfig(Duration size, Duration advance, Duration grace, Duration idleTimeout) {
        public boolean tumbling() {
            return advance.equals(size);
        }
    }

    /**
     * @param name  output column
     * @param fn    count, sum, min, max, avg, count_distinct
     * @param field input field (not for count), or null when {@code expr} gives the value
     * @param expr  SQL expression giving the value (instead of {@code field}), or null
     * @param where SQL condition a record must meet to count in this measure, or null for every record
     * @param lgK   count_distinct: log2 of the HLL sketch's buckets (4 to 21); relative standard error about
     *              1.04 / sqrt(2^lgK)
     */
    public record MeasureConfig(String name, MeasureFn fn, String field, String expr, String where, int lgK) {

        /** count_distinct's default lgK: 4,096 buckets, about 1.6 % relative standard error, 4 KB per group. */
        public static final int DEFAULT_LG_K = 12;

        /** A measure of a field, over every record. */
        public MeasureConfig(String name, MeasureFn fn, String field) {
            this(name, fn, field, null, null);
        }

        /** A measure with count_distinct's default sketch size. */
        public MeasureConfig(String name, MeasureFn fn, String field, String expr, String where) {
            this(name, fn, field, expr, where, DEFAULT_LG_K);
        }

        /** The SQL expression of the measured value: {@code expr}, or the field (quoted), or null for count. */
        public String value() {
            return expr != null ? expr : field == null ? null : "\"" + field + "\"";
        }
    }

    public enum MeasureFn { COUNT, SUM, MIN, MAX, AVG, COUNT_DISTINCT }
}
