package io.lakestream.record;

import org.apache.avro.generic.GenericRecord;

/**
 * What the normalize stage makes of one raw record: a typed record, or a dead letter. Both carry the raw
 * record's coordinates so that every source offset can be accounted for downstream.
 */
public sealed interface NormalizeOutcome permits NormalizeOutcome.Normalized, NormalizeOutcome.DeadLetter {

    String topic();

    int partition();

    long offset();

    /** Kafka timestamp of the raw record. */
    long kafkaTimestamp();

    /**
     * @param key       business key (the configured key field(s), joined with '|')
     * @param value     record of the pipeline's Avro schema
     * @param eventTime event time in epoch millis, from the configured event-time field
     */
    record Normalized(String key, GenericRecord value, long eventTime, String topic, int partition, long offset,
                      long kafkaTimestamp) implements NormalizeOutcome {
    }

    /**
     * @param errorClass    stable error class, e.g. {@code MALFORMED_JSON}
     * @param message       what is wrong, naming the field
     * @param originalKey   raw key bytes, untouched (may be null)
     * @param originalValue raw value bytes, untouched (may be null)
     */
    record DeadLetter(String errorClass, String message, byte[] originalKey, byte[] originalValue, String topic,
                      int partition, long offset, long kafkaTimestamp) implements NormalizeOutcome {
    }
}
