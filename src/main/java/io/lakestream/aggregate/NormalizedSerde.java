package io.lakestream.aggregate;

import io.lakestream.normalize.NormalizeOutcome.Normalized;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A normalized record on the aggregation's repartition topic: event time, Kafka timestamp and source coordinates
 * (so late records can still be named after the hop) in a fixed header, then the record in registry wire format.
 */
final class NormalizedSerde implements Serde<Normalized> {

    private final Serializer<GenericRecord> values;
    private final Deserializer<GenericRecord> records;
    private final String registryTopic;

    /** @param registryTopic topic name given to the registry serde (the pipeline's normalized topic) */
    NormalizedSerde(Serializer<GenericRecord> values, Deserializer<GenericRecord> records, String registryTopic) {
        this.values = values;
        this.records = records;
        this.registryTopic = registryTopic;
    }

    @Override
    public Serializer<Normalized> serializer() {
        return (topic, n) -> {
            if (n == null) {
                return null;
            }
            byte[] sourceTopic = n.topic().getBytes(StandardCharsets.UTF_8);
            byte[] key = n.key() == null ? new byte[0] : n.key().getBytes(StandardCharsets.UTF_8);
            byte[] wire = values.serialize(registryTopic, n.value());
            return ByteBuffer.allocate(8 + 8 + 8 + 4 + 4 + sourceTopic.length + 4 + key.length + wire.length)
                    .putLong(n.eventTime()).putLong(n.kafkaTimestamp()).putLong(n.offset()).putInt(n.partition())
                    .putInt(sourceTopic.length).put(sourceTopic)
                    .putInt(n.key() == null ? -1 : key.length).put(key)
                    .put(wire).array();
        };
    }

    @Override
    public Deserializer<Normalized> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer b = ByteBuffer.wrap(bytes);
            long eventTime = b.getLong();
            long kafkaTimestamp = b.getLong();
            long offset = b.getLong();
            int partition = b.getInt();
            byte[] sourceTopic = new byte[b.getInt()];
            b.get(sourceTopic);
            int keyLength = b.getInt();
            byte[] key = new byte[Math.max(0, keyLength)];
            b.get(key);
            byte[] wire = new byte[b.remaining()];
            b.get(wire);
            return new Normalized(keyLength < 0 ? null : new String(key, StandardCharsets.UTF_8),
                    records.deserialize(registryTopic, wire), eventTime,
                    new String(sourceTopic, StandardCharsets.UTF_8), partition, offset, kafkaTimestamp);
        };
    }
}
