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
 *
 * <p>Likewise a record read from a topic and written again under the same topic (the aggregates sink buffers the
 * aggregation results it reads) gets back the bytes it was read from: the same schema version and datum. Kafka
 * Streams deserializes the next records of a partition before the current one is processed, so the last
 * {@value #READ_MEMO} reads are remembered.
 */
public final class MemoizingRegistrySerdes implements RegistrySerdes {

    static final int READ_MEMO = 8;

    private final RegistrySerdes delegate;
    private final Serializer<GenericRecord> serializer;
    private final ThreadLocal<Memos> memos = ThreadLocal.withInitial(Memos::new);

    private static final class Memo {
        private String topic;
        private GenericRecord record;
        private byte[] bytes;

        boolean holds(String t, GenericRecord r) {
            return record == r && t.equals(topic);
        }

        void set(String t, GenericRecord r, byte[] b) {
            topic = t;
            record = r;
            bytes = b;
        }
    }

    /** One stream thread's memos: the last record it serialized, and a ring of the last records it read. */
    private static final class Memos {
        private final Memo written = new Memo();
        private final Memo[] reads = new Memo[READ_MEMO];
        private int nextRead;

        Memos() {
            for (int i = 0; i < reads.length; i++) {
                reads[i] = new Memo();
            }
        }

        byte[] bytesOf(String topic, GenericRecord record) {
            if (written.holds(topic, record)) {
                return written.bytes;
            }
            for (Memo read : reads) {
                if (read.holds(topic, record)) {
                    return read.bytes;
                }
            }
            return null;
        }

        void read(String topic, GenericRecord record, byte[] bytes) {
            reads[nextRead].set(topic, record, bytes);
            nextRead = (nextRead + 1) % READ_MEMO;
        }
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
                Memos m = memos.get();
                byte[] known = m.bytesOf(topic, data);
                if (known != null) {
                    return known;
                }
                byte[] bytes = headers == null ? serializer.serialize(topic, data)
                        : serializer.serialize(topic, headers, data);
                m.written.set(topic, data, bytes);
                return bytes;
            }
        };
    }

    @Override
    public Deserializer<GenericRecord> deserializer() {
        Deserializer<GenericRecord> deserializer = delegate.deserializer();
        return new Deserializer<>() {
            @Override
            public GenericRecord deserialize(String topic, byte[] data) {
                return remember(topic, data, deserializer.deserialize(topic, data));
            }

            @Override
            public GenericRecord deserialize(String topic, Headers headers, byte[] data) {
                return remember(topic, data, deserializer.deserialize(topic, headers, data));
            }

            @Override
            public void close() {
                deserializer.close();
            }
        };
    }

    private GenericRecord remember(String topic, byte[] data, GenericRecord record) {
        if (record != null && topic != null) {
            memos.get().read(topic, record, data);
        }
        return record;
    }

    @Override
    public java.util.List<org.apache.avro.Schema> versions(String schemaName) {
        return delegate.versions(schemaName);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
