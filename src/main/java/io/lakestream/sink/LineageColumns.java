package io.lakestream.sink;

import java.util.List;

/**
 * Columns the sink appends to every row, naming the Kafka record it came from, so that completeness can be checked
 * with one query ({@code select _source_partition, count(distinct _source_offset) ...}). For an aggregates table the
 * source is the aggregation topic.
 */
public final class LineageColumns {
    public static final String SOURCE_TOPIC = "_source_topic";
    public static final String SOURCE_PARTITION = "_source_partition";
    public static final String SOURCE_OFFSET = "_source_offset";
    /** Kafka timestamp of the source record, timestamp-millis. */
    public static final String KAFKA_TIMESTAMP = "_kafka_timestamp";
    /** True when the record arrived after its window had been flushed; it then lies in a {@code -late} object. */
    public static final String LATE = "_late";

    public static final List<String> ALL = List.of(SOURCE_TOPIC, SOURCE_PARTITION, SOURCE_OFFSET, KAFKA_TIMESTAMP,
            LATE);

    private LineageColumns() {
    }
}
