package io.lakestream.registry;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serializes a record once where several stages need its bytes. A normalized record is written to the normalized
 * topic, buffered by the records sink and sent through each aggregation's repartition topic, all under the same
 * schema name, one after the other on the same stream thread; this remembers, per thread, the last record (by
 * identity) and topic it serialized and hands back the same bytes. Records are never mutated after normalizing,
 * so the bytes stay right.
 */
public final class MemoizingRegistrySerdes implements RegistrySerdes {

    private final RegistrySerdes delegate;
    private final Serializer<GenericRecord> serializer;
    private final ThreadLocal<Memo> memo = ThreadLocal.withInitial(Memo::new);

    private static final class Memo {
        private String topic;
        private GenericRecord record;
        private byte[] bytes;
    }

    public MemoizingRegistrySerdes(RegistrySerdes delegate) {
        this.delegate = delegate;
        this.serializer = delegate.serializer();
    }

    @Override
    public Serializer<GenericRecord> serializer() {
        return new Serializer<>() {
            @Override
            public byte[] serialize(String topic, GenericRecord data) {
                return serialize(topic, null, data);
            }

            @Override
            public byte[] serialize(String topic, Headers headers, GenericRecord data) {
                if (data == null) {
                    return null;
                }
                Memo m = memo.get();
                if (m.record == data && topic.equals(m.topic)) {
                    return m.bytes;
                }
                byte[] bytes = headers == null ? serializer.serialize(topic, data)
                        : serializer.serialize(topic, headers, data);
                m.topic = topic;
                m.record = data;
                m.bytes = bytes;
                return bytes;
            }
        };
    }

    @Override
    public Deserializer<GenericRecord> deserializer() {
        return delegate.deserializer();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
