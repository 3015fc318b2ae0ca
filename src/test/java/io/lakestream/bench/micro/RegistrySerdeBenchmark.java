package io.lakestream.bench.micro;

import io.lakestream.registry.InMemoryRegistry;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A normalized claim to the GSR wire format and back, with the schema version already known (warm cache). This is
 * the project's own wire-format code over the in-memory registry; the GSR serde library needs AWS (or moto) on
 * first use of a schema and is not measured here.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RegistrySerdeBenchmark {

    private static final int DISTINCT = 1024;
    private static final String TOPIC = "claims.normalized";

    private Serializer<GenericRecord> serializer;
    private Deserializer<GenericRecord> deserializer;
    private GenericRecord[] records;
    private byte[][] wire;
    private int next;

    @Setup
    public void setUp() {
        ClaimsFixture claims = new ClaimsFixture();
        InMemoryRegistry registry = new InMemoryRegistry();
        serializer = registry.serializer();
        deserializer = registry.deserializer();
        byte[][] raw = ClaimsFixture.rawClaims(DISTINCT, 200);
        records = new GenericRecord[DISTINCT];
        wire = new byte[DISTINCT][];
        for (int i = 0; i < DISTINCT; i++) {
            records[i] = claims.normalizedValue(raw[i]);
            wire[i] = serializer.serialize(TOPIC, records[i]);
            // Warm both directions: the benchmark must never pay for a first-seen schema.
            if (!deserializer.deserialize(TOPIC, wire[i]).equals(records[i])) {
                throw new IllegalStateException("wire round trip changed record " + i);
            }
        }
    }

    @Benchmark
    public byte[] serialize() {
        GenericRecord r = records[next];
        next = (next + 1) & (DISTINCT - 1);
        return serializer.serialize(TOPIC, r);
    }

    @Benchmark
    public GenericRecord deserialize() {
        byte[] bytes = wire[next];
        next = (next + 1) & (DISTINCT - 1);
        return deserializer.deserialize(TOPIC, bytes);
    }
}
