package io.lakestream.normalize;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * The raw record's Kafka timestamp, or the partition's time when it has none (negative): the default extractor
 * would fail the task, and dropping the record would lose it. Event time is set later, from the payload.
 */
final class RawTimestampExtractor implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        return record.timestamp() >= 0 ? record.timestamp() : Math.max(partitionTime, 0L);
    }
}
