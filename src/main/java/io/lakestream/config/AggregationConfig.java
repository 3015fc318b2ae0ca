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
     * @param fn    count, sum, min, max, avg
     * @param field input field (not for count)
     */
    public record MeasureConfig(String name, MeasureFn fn, String field) {
    }

    public enum MeasureFn { COUNT, SUM, MIN, MAX, AVG }
}
