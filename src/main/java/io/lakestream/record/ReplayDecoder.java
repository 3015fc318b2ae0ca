package io.lakestream.record;

import io.lakestream.record.NormalizeOutcome.Normalized;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What a sink received for a record of its input partition, computed again from the record's bytes when the
 * sink's open windows are rebuilt by replay. It must be the function the live path applies (the normalize stage
 * for the records sink, the result deserializer for the aggregates sink), so that a rebuilt window holds what the
 * lost one held.
 */
public interface ReplayDecoder {

    /** The record as the sink received it, or null when the sink never received it (a dead letter). */
    Normalized decode(ConsumerRecord<byte[], byte[]> record);
}
