package io.lakestream.protect;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.ConfigLoader;
import io.lakestream.config.PipelineConfig;
import io.lakestream.config.ProtectionConfig;
import io.lakestream.record.NormalizeOutcome.Normalized;
import io.lakestream.testing.UnitConfig;
import io.lakestream.testing.Hmac;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class FieldProtectorTest {

    static final String SECRET = "612d33322d627974652d7365637265742d666f722d7468652d74657374732121";

    static PipelineConfig claims(String protect) {
        return claims(SECRET, protect);
    }

    static PipelineConfig claims(String secret, String protect) {
        return UnitConfig.pipeline(UnitConfig.CLAIMS + """
                    protect:
                      hash-secret: "%s"
                %s""".formatted(secret, protect.indent(6)), Path.of("schemas"));
    }

    static final PipelineConfig PIPELINE = claims("""
            fields:
              account_id: hash
              claim_id: { method: hash, encoding: base64 }
              amount: { method: mask, keep-last: 3 }
              adjuster: { method: mask, keep-last: 2, char: "#" }
              policy: drop
              claim_ts: { method: truncate-timestamp, to: hour }
            """);
    static final Schema SOURCE = ConfigLoader.schemaOf(PIPELINE);

    static GenericRecord claim(String account, String adjuster) {
        GenericData.Record r = new GenericData.Record(SOURCE);
        r.put("account_id", account);
        r.put("claim_id", "C-1");
        r.put("amount", new Conversions.DecimalConversion().toBytes(new BigDecimal("1234.50"),
                SOURCE.getField("amount").schema(), SOURCE.getField("amount").schema().getLogicalType()));
        r.put("currency", "EUR");
        r.put("status", new GenericData.EnumSymbol(SOURCE.getField("status").schema(), "OPEN"));
        r.put("claim_ts", Instant.parse("2024-05-01T10:46:40.123Z").toEpochMilli());
        r.put("adjuster", adjuster);
        Schema policy = SOURCE.getField("policy").schema().getTypes().get(1);
        GenericData.Record p = new GenericData.Record(policy);
        p.put("number", "P-9");
        r.put("policy", p);
        return r;
    }

    @Test
    void shouldHashAsAnIndependentHmacDoesInHexAndBase64() throws Exception {
        GenericRecord out = new FieldProtector(SOURCE, PIPELINE.protection(), PIPELINE.key())
                .protect(claim("A-000123", "Zelda Quixote"));

        assertThat(out.get("account_id")).isEqualTo(Hmac.hex(SECRET, "A-000123"));
        assertThat(out.get("claim_id")).isEqualTo(Hmac.base64(SECRET, "C-1"));
    }

    @Test
    void shouldGiveTheSameHashInEveryInstanceAndADifferentOneUnderAnotherKey() {
        GenericRecord a = new FieldProtector(SOURCE, PIPELINE.protection(), PIPELINE.key()).protect(claim("A-1", null));
        GenericRecord b = new FieldProtector(SOURCE, PIPELINE.protection(), PIPELINE.key()).protect(claim("A-1", null));
        ProtectionConfig rotated = new ProtectionConfig(PIPELINE.protection().fields(),
                "text:another-32-byte-secret-rotated!!", true);
        GenericRecord c = new FieldProtector(SOURCE, rotated, PIPELINE.key()).protect(claim("A-1", null));

        assertThat(a.get("account_id")).isEqualTo(b.get("account_id"));
        assertThat(c.get("account_id")).isNotEqualTo(a.get("account_id"));
    }

    @Test
    void shouldMaskAllButTheLastCharactersAndShortValuesWhole() {
        FieldProtector p = new FieldProtector(SOURCE, PIPELINE.protection(), PIPELINE.key());

        assertThat(p.protect(claim("A", "Zelda Quixote")).get("adjuster")).isEqualTo("###########te");
        assertThat(p.protect(claim("A", "Zé")).get("adjuster")).isEqualTo("##");
        assertThat(p.protect(claim("A", null)).get("adjuster")).isNull();
        assertThat(p.protect(claim("A", null)).get("amount")).isEqualTo("****.50");
    }

    @Test
    void shouldMaskEveryMatchOfAPattern() {
        PipelineConfig digits = claims("""
                fields:
                  adjuster: { method: mask, pattern: "[0-9]" }
                """);

        GenericRecord out = new FieldProtector(SOURCE, digits.protection(), digits.key())
                .protect(claim("A", "tel +41 79 123"));

        assertThat(out.get("adjuster")).isEqualTo("tel +** ** ***");
    }

    @Test
    void shouldTruncateToTheHourOrDayInUtc() {
        PipelineConfig day = claims("""
                fields:
                  claim_ts: { method: truncate-timestamp, to: day }
                """);

        GenericRecord hour = new FieldProtector(SOURCE, PIPELINE.protection(), PIPELINE.key())
                .protect(claim("A", null));
        GenericRecord days = new FieldProtector(SOURCE, day.protection(), day.key()).protect(claim("A", null));

        assertThat(hour.get("claim_ts")).isEqualTo(Instant.parse("2024-05-01T10:00:00Z").toEpochMilli());
        assertThat(days.get("claim_ts")).isEqualTo(Instant.parse("2024-05-01T00:00:00Z").toEpochMilli());
    }

    @Test
    void shouldRegisterStringsForHashedAndMaskedFieldsAndLeaveDroppedOnesOut() {
        Schema out = ProtectedSchema.of(SOURCE, PIPELINE.protection());

        assertThat(out.getFields()).extracting(Schema.Field::name)
                .containsExactly("account_id", "claim_id", "amount", "currency", "status", "claim_ts", "adjuster");
        assertThat(out.getField("account_id").schema().getType()).isEqualTo(Schema.Type.STRING);
        assertThat(out.getField("amount").schema().getType()).isEqualTo(Schema.Type.STRING);
        assertThat(out.getField("adjuster").schema().toString()).isEqualTo("[\"null\",\"string\"]");
        assertThat(out.getField("adjuster").defaultVal()).isEqualTo(org.apache.avro.JsonProperties.NULL_VALUE);
        assertThat(out.getField("claim_ts").schema()).isEqualTo(SOURCE.getField("claim_ts").schema());
        assertThat(out.getField("account_id").getProp(ProtectedSchema.PROPERTY)).isEqualTo("hash");
        assertThat(out.getField("currency").getProp(ProtectedSchema.PROPERTY)).isNull();
        assertThat(out.getFullName()).isEqualTo(SOURCE.getFullName());
    }

    @Test
    void shouldRecomputeTheBusinessKeyFromTheProtectedValues() throws Exception {
        GenericRecord clear = claim("A-000123", null);
        Normalized n = new Normalized("A-000123", clear, 1L, "raw", 0, 7L, 2L);

        Normalized out = new FieldProtector(SOURCE, PIPELINE.protection(), PIPELINE.key()).protect(n);

        assertThat(out.key()).isEqualTo(Hmac.hex(SECRET, "A-000123"));
        assertThat(out).extracting(Normalized::eventTime, Normalized::topic, Normalized::offset)
                .containsExactly(1L, "raw", 7L);
    }

    @Test
    void shouldPassRecordsThroughUntouchedWithoutProtection() {
        GenericRecord clear = claim("A-1", "Zelda");

        assertThat(new FieldProtector(SOURCE, ProtectionConfig.NONE, PIPELINE.key()).protect(clear)).isSameAs(clear);
    }
}
