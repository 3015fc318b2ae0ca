package io.lakestream.infer;

import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import static io.lakestream.infer.Samples.field;
import static io.lakestream.infer.Samples.utf8;
import static io.lakestream.infer.Samples.valueType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class SchemaInferrerTypesTest {

    private final SchemaInferrer inferrer = new SchemaInferrer("Claim", "io.lakestream.claims");

    @Test
    void shouldInferInsuranceClaimFromOneSample() {
        InferredSchema inferred = inferrer.inferJson(utf8("{\"account\":{\"id\":\"A-1\"},\"claimId\":\"C-1\","
                + "\"amount\":\"1234.50\",\"currency\":\"EUR\",\"status\":\"OPEN\",\"claimTs\":\"2024-05-01T10:00:00Z\"}"));

        assertThat(inferred.fields()).extracting(InferredField::name)
                .containsExactly("account_id", "claim_id", "amount", "currency", "status", "claim_ts");
        assertThat(inferred.fields()).extracting(InferredField::sourcePath)
                .containsExactly("$.account.id", "$.claimId", "$.amount", "$.currency", "$.status", "$.claimTs");
        assertThat(valueType(inferred, "account_id").getType()).isEqualTo(Schema.Type.STRING);
        assertThat(valueType(inferred, "claim_id").getType()).isEqualTo(Schema.Type.STRING);
        assertThat(field(inferred, "amount").typeName()).isEqualTo("decimal(6,2)");
        assertThat(valueType(inferred, "currency").getType()).isEqualTo(Schema.Type.STRING);
        assertThat(valueType(inferred, "status").getType()).isEqualTo(Schema.Type.STRING);
        assertThat(field(inferred, "status").notes()).anySatisfy(note -> assertThat(note).startsWith("enum candidate"));
        assertThat(field(inferred, "claim_id").notes()).noneMatch(note -> note.startsWith("enum candidate"));
        assertThat(valueType(inferred, "claim_ts").getLogicalType()).isEqualTo(LogicalTypes.timestampMillis());
        assertThat(field(inferred, "claim_ts").timeFormat()).isEqualTo("iso-8601");
        assertThat(inferred.fields()).noneMatch(InferredField::nullable);
    }

    @Test
    void shouldWidenIntToLongWhenOneValueExceedsInt() {
        InferredSchema inferred = inferrer.inferJson(utf8("{\"n\":1,\"m\":2147483647}", "{\"n\":3000000000,\"m\":-2147483648}"));

        assertThat(valueType(inferred, "n").getType()).isEqualTo(Schema.Type.LONG);
        assertThat(field(inferred, "n").notes()).containsExactly("int rejected: '3000000000' (sample 1) exceeds the int range");
        assertThat(valueType(inferred, "m").getType()).isEqualTo(Schema.Type.INT);
    }

    @Test
    void shouldGrowDecimalPrecisionAndScaleToTheLargestSeen() {
        InferredSchema inferred = inferrer.inferJson(utf8("{\"amount\":1.5}", "{\"amount\":\"12345.125\"}",
                "{\"amount\":0.05}"));

        assertThat(field(inferred, "amount").typeName()).isEqualTo("decimal(8,3)");
    }

    @Test
    void shouldReadIntegersMixedWithFractionsAsDecimalWideEnoughForBoth() {
        InferredSchema inferred = inferrer.inferJson(utf8("{\"amount\":1234567}", "{\"amount\":0.25}"));

        assertThat(field(inferred, "amount").typeName()).isEqualTo("decimal(9,2)");
        assertThat(field(inferred, "amount").notes()).containsExactly("int rejected: '0.25' (sample 1) has a fraction");
    }

    @Test
    void shouldReadIntegerStringsAsDecimalWhenOtherValuesAreDecimalStrings() {
        InferredSchema inferred = inferrer.inferJson(utf8("{\"amount\":\"100\"}", "{\"amount\":\"99.95\"}"));

        assertThat(field(inferred, "amount").typeName()).isEqualTo("decimal(5,2)");
    }

    @Test
    void shouldGiveAPureFractionAPrecisionNotBelowItsScale() {
        InferredSchema inferred = inferrer.inferJson(utf8("{\"fee\":0.0005}"));

        assertThat(field(inferred, "fee").typeName()).isEqualTo("decimal(4,4)");
    }

    @Test
    void shouldUseDoubleOnlyWhenAValueUsesExponentNotation() {
        InferredSchema inferred = inferrer.inferJson(utf8("{\"x\":1.25}", "{\"x\":1.5e3}"));

        assertThat(valueType(inferred, "x").getType()).isEqualTo(Schema.Type.DOUBLE);
        assertThat(field(inferred, "x").notes()).containsExactly("double, not exact: '1.5e3' (sample 1) uses exponent notation");
    }

    @Test
    void shouldUseDoubleWhenValuesNeedMoreThan38Digits() {
        String wide = "1" + "0".repeat(30) + ".12345678";
        InferredSchema inferred = inferrer.inferJson(utf8("{\"x\":" + wide + "}", "{\"y\":123456789012345678901234567890123456789}",
                "{\"z\":12345678901234567890123456789012345678}"));

        assertThat(valueType(inferred, "x").getType()).isEqualTo(Schema.Type.DOUBLE);
        assertThat(valueType(inferred, "y").getType()).isEqualTo(Schema.Type.DOUBLE);
        assertThat(field(inferred, "z").typeName()).isEqualTo("decimal(38,0) (nullable)");
    }

    @Test
    void shouldUseDoubleWhenIntegerAndFractionDigitsTogetherExceed38() {
        InferredSchema inferred = inferrer.inferJson(utf8("{\"x\":" + "9".repeat(30) + "}", "{\"x\":0." + "1".repeat(10) + "}"));

        assertThat(valueType(inferred, "x").getType()).isEqualTo(Schema.Type.DOUBLE);
        assertThat(field(inferred, "x").notes().get(0)).contains("decimal(40,10)");
    }

    @Test
    void shouldMakeFieldsNullableWithDefaultNullWhenMissingOrNull() {
        InferredSchema inferred = inferrer.inferJson(utf8("{\"a\":1,\"b\":\"x\",\"c\":true}", "{\"a\":2,\"b\":null}"));

        assertThat(field(inferred, "a").nullable()).isFalse();
        Schema.Field b = inferred.schema().getField("b");
        assertThat(b.schema().getTypes()).extracting(Schema::getType).containsExactly(Schema.Type.NULL, Schema.Type.STRING);
        assertThat(b.defaultVal()).isEqualTo(JsonProperties.NULL_VALUE);
        assertThat(field(inferred, "b").notes()).contains("value in 1 of 2 readable samples (null in 1, missing in 0): nullable, default null");
        assertThat(field(inferred, "c").notes()).contains("value in 1 of 2 readable samples (null in 0, missing in 1): nullable, default null");
        assertThat(inferred.schema().getField("c").schema().getTypes().get(1).getType()).isEqualTo(Schema.Type.BOOLEAN);
    }

    @Test
    void shouldTypeAFieldThatIsAlwaysNullAsNullableString() {
        InferredSchema inferred = inferrer.inferJson(utf8("{\"a\":null}", "{\"a\":null}"));

        assertThat(field(inferred, "a").schema().getTypes()).extracting(Schema::getType)
                .containsExactly(Schema.Type.NULL, Schema.Type.STRING);
        assertThat(field(inferred, "a").nullCount()).isEqualTo(2);
    }

    @Test
    void shouldFallBackToStringForMixedTypesAndNameTheRejectedCandidates() {
        InferredSchema inferred = inferrer.inferJson(utf8("{\"amount\":\"12.50\"}", "{\"amount\":\"N/A\"}", "{\"amount\":true}"));

        assertThat(valueType(inferred, "amount").getType()).isEqualTo(Schema.Type.STRING);
        assertThat(field(inferred, "amount").notes()).containsExactly("mixed types, kept as string: decimal 1x, e.g. "
                + "'12.50' (sample 0); string 1x, e.g. 'N/A' (sample 1); boolean 1x, e.g. 'true' (sample 2)");
    }

    @Test
    void shouldKeepIntegerStringsAndLeadingZerosAsStrings() {
        InferredSchema inferred = inferrer.inferJson(utf8("{\"policy\":\"12345\",\"zip\":\"01234\",\"code\":\"007.5\"}"));

        assertThat(valueType(inferred, "policy").getType()).isEqualTo(Schema.Type.STRING);
        assertThat(field(inferred, "policy").notes()).singleElement().asString().contains("ids and codes");
        assertThat(valueType(inferred, "zip").getType()).isEqualTo(Schema.Type.STRING);
        assertThat(valueType(inferred, "code").getType()).isEqualTo(Schema.Type.STRING);
    }

    @Test
    void shouldKeepStringsThatAreSometimesNumericAsPlainStrings() {
        InferredSchema inferred = inferrer.inferJson(utf8("{\"ref\":\"123\"}", "{\"ref\":\"A-7\"}"));

        assertThat(valueType(inferred, "ref").getType()).isEqualTo(Schema.Type.STRING);
        assertThat(field(inferred, "ref").notes()).isEmpty();
    }

    @Test
    void shouldStillGuessEpochTimestampsForRenamedCollidingFields() {
        InferredSchema inferred = inferrer.inferJson(utf8("{\"created\":{\"at\":1714557600},\"createdAt\":1714557600}"));

        assertThat(inferred.fields()).extracting(InferredField::name, InferredField::timeFormat)
                .containsExactly(tuple("created_at", "epoch-seconds"), tuple("created_at_2", "epoch-seconds"));
    }

    @Test
    void shouldReadEpochSecondsAsTimestampWhenTheNameSaysTime() {
        InferredSchema inferred = inferrer.inferJson(utf8("{\"created_at\":1714557600}", "{\"created_at\":1714557700}"));

        InferredField createdAt = field(inferred, "created_at");
        assertThat(createdAt.schema().getLogicalType()).isEqualTo(LogicalTypes.timestampMillis());
        assertThat(createdAt.timeFormat()).isEqualTo("epoch-seconds");
        assertThat(createdAt.notes()).containsExactly("epoch unit guessed from magnitude: epoch-seconds "
                + "(values 1714557600..1714557700)");
    }

    @Test
    void shouldReadEpochMillisAndMicrosByMagnitude() {
        InferredSchema inferred = inferrer.inferJson(utf8(
                "{\"eventTime\":1714557600123,\"updateTs\":\"1714557600123456\",\"birth_date\":1714557600}"));

        assertThat(field(inferred, "event_time").timeFormat()).isEqualTo("epoch-millis");
        assertThat(field(inferred, "event_time").schema().getLogicalType()).isEqualTo(LogicalTypes.timestampMillis());
        assertThat(field(inferred, "update_ts").timeFormat()).isEqualTo("epoch-micros");
        assertThat(field(inferred, "update_ts").schema().getLogicalType()).isEqualTo(LogicalTypes.timestampMicros());
        assertThat(field(inferred, "birth_date").timeFormat()).isEqualTo("epoch-seconds");
    }

    @Test
    void shouldNotTurnEpochLookingNumbersIntoTimestampsWithoutATimeName() {
        InferredSchema inferred = inferrer.inferJson(utf8("{\"counter\":1714557600123}"));

        assertThat(field(inferred, "counter").schema().getType()).isEqualTo(Schema.Type.LONG);
        assertThat(field(inferred, "counter").timeFormat()).isNull();
    }

    @Test
    void shouldNotTurnImplausibleEpochValuesIntoTimestamps() {
        InferredSchema inferred = inferrer.inferJson(utf8("{\"created_at\":1714557600}", "{\"created_at\":1714557600123}",
                "{\"wait_time\":42}"));

        assertThat(valueType(inferred, "created_at").getType()).isEqualTo(Schema.Type.LONG);
        assertThat(field(inferred, "created_at").notes()).anySatisfy(note -> assertThat(note).startsWith("name suggests a time"));
        assertThat(valueType(inferred, "wait_time").getType()).isEqualTo(Schema.Type.INT);
    }

    @Test
    void shouldInferTimestampMicrosWhenSubMillisecondDigitsAppear() {
        InferredSchema inferred = inferrer.inferJson(utf8("{\"ts\":\"2024-05-01T10:00:00.123Z\"}",
                "{\"ts\":\"2024-05-01T10:00:00.123456+02:00\"}", "{\"ts\":\"2024-05-01T10:00:00.123000Z\"}"));

        assertThat(field(inferred, "ts").schema().getLogicalType()).isEqualTo(LogicalTypes.timestampMicros());
        assertThat(field(inferred, "ts").notes()).containsExactly(
                "timestamp-millis rejected: sub-millisecond digits in '2024-05-01T10:00:00.123456+02:00' (sample 1)");
    }

    @Test
    void shouldNoteDigitsBeyondMicroseconds() {
        InferredSchema inferred = inferrer.inferJson(utf8("{\"ts\":\"2024-05-01T10:00:00.123456789Z\"}"));

        assertThat(field(inferred, "ts").schema().getLogicalType()).isEqualTo(LogicalTypes.timestampMicros());
        assertThat(field(inferred, "ts").notes()).singleElement().asString().startsWith("digits beyond microseconds");
    }

    @Test
    void shouldInferDatesAndKeepImpossibleDatesAsStrings() {
        InferredSchema inferred = inferrer.inferJson(utf8("{\"d\":\"2024-02-29\",\"bad\":\"2023-02-29\"}"));

        assertThat(field(inferred, "d").schema().getLogicalType()).isEqualTo(LogicalTypes.date());
        assertThat(field(inferred, "bad").schema().getType()).isEqualTo(Schema.Type.STRING);
    }

    @Test
    void shouldKeepDateTimesWithoutOffsetAsStringsWithANote() {
        InferredSchema inferred = inferrer.inferJson(utf8("{\"at\":\"2024-05-01T10:00:00\"}"));

        assertThat(field(inferred, "at").schema().getType()).isEqualTo(Schema.Type.STRING);
        assertThat(field(inferred, "at").notes()).singleElement().asString().contains("without a UTC offset");
    }

    @Test
    void shouldMixDatesAndTimestampsIntoString() {
        InferredSchema inferred = inferrer.inferJson(utf8("{\"t\":\"2024-05-01\"}", "{\"t\":\"2024-05-01T10:00:00Z\"}"));

        assertThat(field(inferred, "t").schema().getType()).isEqualTo(Schema.Type.STRING);
        assertThat(field(inferred, "t").notes()).singleElement().asString().startsWith("mixed types");
    }

    @Test
    void shouldListOnlyLowCardinalitySymbolLikeStringsAsEnumCandidates() {
        String[] samples = new String[12];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = "{\"status\":\"" + (i % 2 == 0 ? "OPEN" : "CLOSED") + "\",\"code\":\"C" + i
                    + "\",\"text\":\"free text " + (i % 2) + "\"}";
        }
        InferredSchema inferred = inferrer.inferJson(utf8(samples));

        assertThat(field(inferred, "status").notes()).singleElement().asString()
                .startsWith("enum candidate: 2 distinct value(s) [OPEN, CLOSED] in 12 value(s)");
        assertThat(field(inferred, "code").notes()).singleElement().asString()
                .endsWith("kept as string: an enum is proposed from 200 values on");
        assertThat(field(inferred, "text").notes()).as("not symbol-like").isEmpty();
        assertThat(field(inferred, "status").schema().getType()).isEqualTo(Schema.Type.STRING);
    }
}
