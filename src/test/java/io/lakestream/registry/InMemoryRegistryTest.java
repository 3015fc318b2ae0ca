package io.lakestream.registry;

import static io.lakestream.registry.TestSchemas.V1;
import static io.lakestream.registry.TestSchemas.V2;
import static io.lakestream.registry.TestSchemas.amount;
import static io.lakestream.registry.TestSchemas.claim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class InMemoryRegistryTest {

    @Test
    void shouldReadBackExactlyWhatItWrote() {
        InMemoryRegistry registry = new InMemoryRegistry();
        byte[] bytes = registry.serializer().serialize("claims.normalized", claim(V1, "CL-1", "1234.50"));

        GenericRecord read = registry.deserializer().deserialize("claims.normalized", bytes);

        assertThat(read.get("claim_id").toString()).isEqualTo("CL-1");
        assertThat(amount(read)).isEqualTo(new BigDecimal("1234.50"));
        assertThat(read.getSchema()).isEqualTo(V1);
    }

    @Test
    void shouldGiveANewWriterSchemaANewVersionAndReadEachWithItsOwnSchema() {
        InMemoryRegistry registry = new InMemoryRegistry();
        byte[] v1 = registry.serializer().serialize("claims.normalized", claim(V1, "CL-1", "1.00"));
        GenericRecord second = claim(V2, "CL-2", "2.00");
        second.put("note", "late");
        byte[] v2 = registry.serializer().serialize("claims.normalized", second);

        assertThat(GsrWireFormat.decode(v1).schemaVersionId()).isNotEqualTo(GsrWireFormat.decode(v2).schemaVersionId());
        assertThat(registry.deserializer().deserialize("claims.normalized", v1).getSchema()).isEqualTo(V1);
        assertThat(registry.deserializer().deserialize("claims.normalized", v2).get("note").toString())
                .isEqualTo("late");
    }

    @Test
    void shouldDeriveTheSameVersionIdForTheSameTopicAndSchemaInEveryInstance() {
        UUID first = new InMemoryRegistry().schemaVersionId("claims.normalized", V1);

        assertThat(new InMemoryRegistry().schemaVersionId("claims.normalized", V1)).isEqualTo(first);
        assertThat(new InMemoryRegistry().schemaVersionId("payments.normalized", V1)).isNotEqualTo(first);
    }

    @Test
    void shouldRefuseToReadASchemaVersionItNeverRegistered() {
        byte[] bytes = new InMemoryRegistry().serializer().serialize("t", claim(V1, "CL-1", "1.00"));
        UUID id = GsrWireFormat.decode(bytes).schemaVersionId();

        assertThatThrownBy(() -> new InMemoryRegistry().deserializer().deserialize("t", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessage("unknown schema version " + id + " for schema t");
    }

    @Test
    void shouldPassNullThroughAsATombstone() {
        InMemoryRegistry registry = new InMemoryRegistry();

        assertThat(registry.serializer().serialize("t", null)).isNull();
        assertThat(registry.deserializer().deserialize("t", null)).isNull();
    }

    @Test
    void shouldLeaveTheRecordsDecimalBuffersReadableForDownstreamStages() {
        InMemoryRegistry registry = new InMemoryRegistry();
        GenericRecord record = claim(V1, "CL-1", "1234.50");

        byte[] first = registry.serializer().serialize("t", record);

        assertThat(registry.serializer().serialize("t", record)).isEqualTo(first);
        assertThat(amount(record)).isEqualTo(new BigDecimal("1234.50"));
    }
}
