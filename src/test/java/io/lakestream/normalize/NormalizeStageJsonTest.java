package io.lakestream.normalize;

import static io.lakestream.normalize.StageHarness.header;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The claims example (config/claims.yaml) through the normalize stage: JSON in, typed Avro out. */
class NormalizeStageJsonTest {

    static final String CLAIM = """
            {"account": {"id": "ACC-1"}, "claimId": "CL-1", "amount": 1234.50, "currency": "EUR",
             "status": "APPROVED", "claimTs": "2024-01-31T10:15:30.123+01:00", "adjuster": {"name": "Ann"},
             "policy": {"number": "P-9"}}""";

    private final StageHarness stage = new StageHarness("config/claims.yaml");

    @AfterEach
    void close() {
        stage.close();
    }

    @Test
    void shouldWriteTypedClaimKeyedByAccountKeepingTheRawTimestamp() {
        stage.send("raw-key", CLAIM);

        List<TestRecord<String, GenericRecord>> out = stage.normalized();
        assertThat(out).hasSize(1);
        TestRecord<String, GenericRecord> record = out.get(0);
        GenericRecord claim = record.value();
        assertThat(record.key()).isEqualTo("ACC-1");
        // the raw record's timestamp, not the event time (retention and the broker's future-timestamp limit)
        assertThat(record.getRecordTime()).isEqualTo(Instant.parse("2024-01-31T12:00:00Z"));
        assertThat(claim.get("claim_ts")).isEqualTo(Instant.parse("2024-01-31T09:15:30.123Z").toEpochMilli());
        assertThat(claim.get("account_id").toString()).isEqualTo("ACC-1");
        assertThat(claim.get("claim_id").toString()).isEqualTo("CL-1");
        assertThat(decimal(claim, "amount")).isEqualTo(new BigDecimal("1234.50")).hasToString("1234.50");
        assertThat(claim.get("currency").toString()).isEqualTo("EUR");
        assertThat(claim.get("status").toString()).isEqualTo("APPROVED");
        assertThat(claim.get("claim_ts")).isEqualTo(Instant.parse("2024-01-31T09:15:30.123Z").toEpochMilli());
        assertThat(claim.get("adjuster").toString()).isEqualTo("Ann");
        GenericRecord policy = (GenericRecord) claim.get("policy");
        assertThat(policy.get("number").toString()).isEqualTo("P-9");
        assertThat(policy.get("product")).isNull();
        assertThat(stage.dlq.isEmpty()).isTrue();
        assertThat(stage.counter("lakestream.records.in", "pipeline", "claims")).isEqualTo(1.0);
        assertThat(stage.counter("lakestream.records.out", "pipeline", "claims")).isEqualTo(1.0);
    }

    @Test
    void shouldKeepAmountTextExactWithoutPassingThroughDouble() {
        stage.send("k", CLAIM.replace("1234.50", "9999999999.99"));
        stage.send("k", CLAIM.replace("1234.50", "\"0.10\""));

        List<TestRecord<String, GenericRecord>> out = stage.normalized();
        assertThat(decimal(out.get(0).value(), "amount")).hasToString("9999999999.99");
        assertThat(decimal(out.get(1).value(), "amount")).hasToString("0.10");
    }

    @Test
    void shouldFillAbsentOptionalFieldsWithTheirDefaults() {
        stage.send("k", """
                {"account": {"id": "ACC-2"}, "claimId": "CL-2", "amount": 5, "currency": "USD", "status": "OPEN",
                 "claimTs": "2024-01-31T10:00:00Z"}""");

        GenericRecord claim = stage.normalized().get(0).value();
        assertThat(claim.get("adjuster")).isNull();
        assertThat(claim.get("policy")).isNull();
        assertThat(decimal(claim, "amount")).hasToString("5.00");
    }

    @Test
    void shouldStripAUtf8ByteOrderMark() {
        byte[] body = CLAIM.getBytes(UTF_8);
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);

        stage.send("k".getBytes(UTF_8), withBom);

        assertThat(stage.normalized()).hasSize(1);
    }

    @Test
    void shouldKeepGoingAfterBadInputAndAccountForEveryRecord() {
        stage.send("k1", CLAIM);
        stage.send("k2", "not json");
        stage.send("k3", CLAIM.replace("ACC-1", "ACC-3"));

        assertThat(stage.normalized()).extracting(TestRecord::key).containsExactly("ACC-1", "ACC-3");
        assertThat(stage.dlq.readRecordsToList()).extracting(r -> new String(r.key(), UTF_8)).containsExactly("k2");
        assertThat(stage.counter("lakestream.records.in", "pipeline", "claims")).isEqualTo(3.0);
        assertThat(stage.counter("lakestream.dlq.records", "pipeline", "claims", "error_class", "MALFORMED_JSON"))
                .isEqualTo(1.0);
    }

    static BigDecimal decimal(GenericRecord record, String field) {
        Schema schema = record.getSchema().getField(field).schema();
        return new Conversions.DecimalConversion().fromBytes(((ByteBuffer) record.get(field)).duplicate(), schema,
                (LogicalTypes.Decimal) schema.getLogicalType());
    }

    static String headerOf(TestRecord<?, ?> record, String name) {
        return header(record, name);
    }
}
