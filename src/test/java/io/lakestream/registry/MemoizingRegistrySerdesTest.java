package io.lakestream.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

class MemoizingRegistrySerdesTest {

    private static final Schema SCHEMA = SchemaBuilder.record("R").fields().requiredString("id").endRecord();
    private final InMemoryRegistry registry = new InMemoryRegistry();
    private final AtomicInteger calls = new AtomicInteger();
    private final MemoizingRegistrySerdes memoizing = new MemoizingRegistrySerdes(new RegistrySerdes() {
        @Override
        public Serializer<GenericRecord> serializer() {
            Serializer<GenericRecord> real = registry.serializer();
            return (topic, data) -> {
                calls.incrementAndGet();
                return real.serialize(topic, data);
            };
        }

        @Override
        public Deserializer<GenericRecord> deserializer() {
            return registry.deserializer();
        }
    });

    private static GenericRecord record(String id) {
        GenericRecord r = new GenericData.Record(SCHEMA);
        r.put("id", id);
        return r;
    }

    /** Reads {@code wire} from topic t through the memoizing deserializer, then {@code more} other records. */
    private GenericRecord readThenReadMore(byte[] wire, int more) {
        Deserializer<GenericRecord> reader = memoizing.deserializer();
        GenericRecord read = reader.deserialize("t", wire);
        for (int i = 0; i < more; i++) {
            reader.deserialize("t", registry.serializer().serialize("t", record("n" + i)));
        }
        return read;
    }

    @Test
    void shouldSerializeTheSameRecordForTheSameTopicOnce() {
        GenericRecord r = record("a");
        byte[] first = memoizing.serializer().serialize("t", r);
        byte[] second = memoizing.serializer().serialize("t", r);

        assertThat(second).isSameAs(first);
        assertThat(calls).hasValue(1);
        assertThat(memoizing.deserializer().deserialize("t", second).get("id")).hasToString("a");
    }

    @Test
    void shouldSerializeAgainForAnotherRecordOrTopicEvenWhenEqual() {
        memoizing.serializer().serialize("t", record("a"));
        memoizing.serializer().serialize("t", record("a"));
        memoizing.serializer().serialize("u", record("a"));

        assertThat(calls).hasValue(3);
    }

    @Test
    void shouldGiveARecordReadFromATopicBackTheBytesItWasReadFromWhenWrittenToThatTopic() {
        byte[] wire = registry.serializer().serialize("t", record("a"));
        // the next records of the partition are read before this one is processed
        GenericRecord read = readThenReadMore(wire, MemoizingRegistrySerdes.READ_MEMO - 1);

        assertThat(memoizing.serializer().serialize("t", read)).isSameAs(wire);
        assertThat(calls).hasValue(0);
        assertThat(memoizing.serializer().serialize("u", read)).isNotSameAs(wire);
        assertThat(memoizing.serializer().serialize("t", record("a"))).isEqualTo(wire).isNotSameAs(wire);
        assertThat(calls).hasValue(2);
    }

    @Test
    void shouldForgetReadsOlderThanItsMemo() {
        byte[] wire = registry.serializer().serialize("t", record("a"));
        GenericRecord read = readThenReadMore(wire, MemoizingRegistrySerdes.READ_MEMO);

        assertThat(memoizing.serializer().serialize("t", read)).isEqualTo(wire).isNotSameAs(wire);
        assertThat(calls).hasValue(1);
    }
}
