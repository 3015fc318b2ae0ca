package io.lakestream.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.RegistryConfig;
import io.lakestream.testing.MotoExtension;
import io.lakestream.testing.MotoServer;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.UUID;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(MotoExtension.class)
class GlueSchemaRegistrySerdesIT {

    private static final String TOPIC = "claims.normalized";

    @Test
    void shouldRoundTripDecimalAndTimestampInGsrWireFormatAndRegisterTheSchema(MotoServer moto) throws IOException {
        Schema schema = claimSchema();
        GenericRecord claim = claim(schema, "acc-1", new BigDecimal("1234.56"), Instant.parse("2024-03-01T10:15:30Z"));
        RegistryConfig config = config(moto);

        byte[] bytes;
        GenericRecord back;
        try (var serdes = new GlueSchemaRegistrySerdes(config, moto.clients(), null)) {
            bytes = serdes.serializer().serialize(TOPIC, claim);
            back = serdes.deserializer().deserialize(TOPIC, bytes);
        }

        assertThat(bytes[0]).as("GSR header version").isEqualTo((byte) 3);
        assertThat(bytes[1]).as("no compression").isEqualTo((byte) 0);
        assertThat(back.getSchema()).isEqualTo(schema);
        assertThat(back).isEqualTo(claim);
        Schema amountSchema = schema.getField("amount").schema();
        assertThat(new Conversions.DecimalConversion().fromBytes((ByteBuffer) back.get("amount"), amountSchema,
                amountSchema.getLogicalType())).isEqualByComparingTo("1234.56");
        assertThat(back.get("claim_ts")).isEqualTo(Instant.parse("2024-03-01T10:15:30Z").toEpochMilli());

        UUID versionId = versionId(bytes);
        try (var glue = moto.clients().glue()) {
            var schemaInfo = glue.getSchema(b -> b.schemaId(id -> id.registryName("lakestream").schemaName(TOPIC)));
            assertThat(schemaInfo.dataFormatAsString()).isEqualTo("AVRO");
            assertThat(schemaInfo.compatibilityAsString()).isEqualTo("BACKWARD");
            var version = glue.getSchemaVersion(b -> b.schemaVersionId(versionId.toString()));
            assertThat(new Schema.Parser().parse(version.schemaDefinition())).isEqualTo(schema);
        }
    }

    @Test
    void shouldReadTheLatestRegisteredVersionForTheStartUpCheck(MotoServer moto) {
        Schema schema = claimSchema();
        try (var serdes = new GlueSchemaRegistrySerdes(config(moto), moto.clients(), null)) {
            assertThat(serdes.versions(TOPIC)).isEmpty();
            serdes.serializer().serialize(TOPIC, claim(schema, "acc-3", new BigDecimal("1.00"), Instant.EPOCH));
            assertThat(serdes.versions(TOPIC)).containsExactly(schema);
        }
    }

    @Test
    void shouldAcceptARegistryThatAlreadyExists(MotoServer moto) {
        assertThat(moto.clients().createSchemaRegistryIfAbsent("lakestream")).isTrue();
        Schema schema = claimSchema();
        GenericRecord claim = claim(schema, "acc-2", new BigDecimal("0.01"), Instant.EPOCH);

        try (var serdes = new GlueSchemaRegistrySerdes(config(moto), moto.clients(), null)) {
            assertThat(serdes.deserializer().deserialize(TOPIC, serdes.serializer().serialize(TOPIC, claim)))
                    .isEqualTo(claim);
        }
        assertThat(moto.clients().createSchemaRegistryIfAbsent("lakestream")).isFalse();
    }

    private static RegistryConfig config(MotoServer moto) {
        return new RegistryConfig("glue", MotoServer.REGION, moto.endpoint(), "lakestream", "BACKWARD", true, true,
                null);
    }

    private static UUID versionId(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 2, 16);
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    private static GenericRecord claim(Schema schema, String account, BigDecimal amount, Instant ts) {
        Schema amountSchema = schema.getField("amount").schema();
        GenericRecord claim = new GenericData.Record(schema);
        claim.put("account_id", account);
        claim.put("amount", new Conversions.DecimalConversion().toBytes(amount.setScale(2), amountSchema,
                LogicalTypes.decimal(12, 2)));
        claim.put("claim_ts", ts.toEpochMilli());
        claim.put("status", "OPEN");
        return claim;
    }

    private static Schema claimSchema() {
        try (InputStream in = GlueSchemaRegistrySerdesIT.class.getResourceAsStream("/avro/claim.avsc")) {
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
