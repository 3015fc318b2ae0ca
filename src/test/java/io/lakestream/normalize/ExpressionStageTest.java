package io.lakestream.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.PipelineConfig;
import io.lakestream.testing.UnitConfig;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Derived columns and the record filter in the normalize stage (TopologyTestDriver): columns computed on the
 * protected record, non-matching records counted and left out, a failing expression dead-lettered as
 * EXPRESSION_ERROR without the values it read.
 */
class ExpressionStageTest {

    static PipelineConfig pipeline() {
        return UnitConfig.pipeline(UnitConfig.CLAIMS + """
                    fields: { account_id: $.account.id, claim_id: $.claimId, amount: $.amount, currency: $.currency,
                              status: $.status, claim_ts: $.claimTs, adjuster: $.adjuster, policy: $.policy }
                    protect:
                      hash-secret: "0123456789abcdef0123456789abcdef"
                      fields: { adjuster: hash }
                    derive:
                      - { name: amount_x3, expr: "amount * 3" }
                      - { name: per_unit, expr: "amount_x3 / (amount - 10)" }
                      - { name: adjuster_chars, expr: "CHAR_LENGTH(adjuster)" }
                    filter: "status <> 'OPEN'"
                """, Path.of("schemas"));
    }

    static String claim(String id, String amount, String status) {
        return "{\"account\":{\"id\":\"A-1\"},\"claimId\":\"" + id + "\",\"amount\":\"" + amount
                + "\",\"currency\":\"EUR\",\"status\":\"" + status + "\",\"claimTs\":\"2024-01-31T11:00:00Z\","
                + "\"adjuster\":\"Zelda\"}";
    }

    static BigDecimal decimal(Object avro, int scale) {
        ByteBuffer b = ((ByteBuffer) avro).duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return new BigDecimal(new BigInteger(bytes), scale);
    }

    @Test
    void shouldDeriveColumnsFromTheProtectedRecordFilterAndDeadLetterExpressionErrors() {
        try (StageHarness h = new StageHarness(pipeline())) {
            h.send(null, claim("C-1", "12.50", "APPROVED"));
            h.send(null, claim("C-2", "99.99", "OPEN"));
            h.send(null, claim("C-3", "10.00", "PAID"));
            h.send(null, claim("C-4", "0.01", "REJECTED"));

            List<TestRecord<String, GenericRecord>> out = h.normalized();
            assertThat(out).extracting(r -> r.value().get("claim_id").toString()).containsExactly("C-1", "C-4");
            GenericRecord c1 = out.get(0).value();
            assertThat(decimal(c1.get("amount_x3"), 2)).isEqualByComparingTo("37.50");
            // DECIMAL(22, 2) / DECIMAL(13, 2) is DECIMAL(38, 6), as Calcite derives it (37.50 / 2.50 = 15).
            assertThat(c1.getSchema().getField("per_unit").schema().getObjectProp("scale")).isEqualTo(6);
            assertThat(decimal(c1.get("per_unit"), 6)).isEqualByComparingTo("15");
            // The expression read the hash (64 hex characters), never "Zelda".
            assertThat(c1.get("adjuster_chars")).isEqualTo(64);

            assertThat(h.counter("lakestream.records.filtered", "pipeline", "claims")).isEqualTo(1.0);
            List<TestRecord<byte[], byte[]>> dead = h.dlq.readRecordsToList();
            assertThat(dead).hasSize(1);
            assertThat(StageHarness.header(dead.get(0), NormalizeStage.HEADER_ERROR_CLASS))
                    .isEqualTo("EXPRESSION_ERROR");
            assertThat(StageHarness.header(dead.get(0), NormalizeStage.HEADER_ERROR_MESSAGE))
                    .isEqualTo("division by zero in expression \"amount_x3 / (amount - 10)\" with amount_x3 "
                            + "DECIMAL(22, 2), amount DECIMAL(12, 2)")
                    .doesNotContain("10.00");
            assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).contains("\"C-3\"");
        }
    }
}
