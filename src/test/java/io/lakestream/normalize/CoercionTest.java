package io.lakestream.normalize;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.PipelineConfig;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Coercion edge cases, on the test schema {@code normalize/types.avsc} (event time field {@code ts}). */
class CoercionTest {

    private static final String TS = "\"ts\": \"2024-01-31T10:00:00Z\"";

    private final Normalizer normalizer = TestPipelines.normalizer(TestPipelines.types());

    private GenericRecord normalize(String fields) {
        return normalizer.normalize(("{\"id\": \"x\", " + TS + (fields.isEmpty() ? "" : ", " + fields) + "}")
                .getBytes(UTF_8)).value();
    }

    private NormalizeException failure(Normalizer n, String json) {
        try {
            n.normalize(json.getBytes(UTF_8));
        } catch (NormalizeException e) {
            return e;
        }
        throw new AssertionError("expected a NormalizeException for " + json);
    }

    private NormalizeException failure(String fields) {
        return failure(normalizer, "{\"id\": \"x\", " + TS + ", " + fields + "}");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "1234.5|1234.50", "\"1234.50\"|1234.50", "12|12.00", "1.230|1.23", "\"-0.01\"|-0.01", "1e2|100.00",
            "\" 7.5 \"|7.50", "9999.99|9999.99"})
    void shouldCoerceDecimalExactlyFromNumberOrText(String json, String expected) {
        assertThat(decimal(normalize("\"money\": " + json), "money")).hasToString(expected);
    }

    @Test
    void shouldRejectFractionDigitsBeyondScaleInsteadOfRounding() {
        NormalizeException e = failure("\"money\": 0.125");

        assertThat(e.errorClass()).isEqualTo(ErrorClass.DECIMAL_SCALE);
        assertThat(e.getMessage()).isEqualTo("field money (source money): expected a decimal(6,2) with at most 2"
                + " fraction digits (not rounded), was \"0.125\"");
    }

    @Test
    void shouldRejectDecimalBeyondPrecision() {
        assertThat(failure("\"money\": 10000").errorClass()).isEqualTo(ErrorClass.DECIMAL_PRECISION);
        assertThat(failure("\"rate\": \"1000000.0001\"").errorClass()).isEqualTo(ErrorClass.DECIMAL_PRECISION);
    }

    @Test
    void shouldWriteFixedDecimals() {
        GenericRecord r = normalize("\"rate\": \"0.0425\"");
        Schema schema = r.getSchema().getField("rate").schema().getTypes().get(1);

        assertThat(new Conversions.DecimalConversion().fromFixed((GenericData.Fixed) r.get("rate"), schema,
                schema.getLogicalType())).isEqualTo(new BigDecimal("0.0425"));
    }

    @Test
    void shouldCoerceIntegersFromNumbersAndTextAndDetectOverflow() {
        assertThat(normalize("\"i\": \"42\", \"l\": 9007199254740993").get("l")).isEqualTo(9007199254740993L);
        assertThat(normalize("\"i\": 2.0").get("i")).isEqualTo(2);
        assertThat(failure("\"i\": 2147483648").errorClass()).isEqualTo(ErrorClass.NUMERIC_OVERFLOW);
        assertThat(failure("\"l\": \"9223372036854775808\"").getMessage()).isEqualTo("field l (source l): expected a"
                + " long between -9223372036854775808 and 9223372036854775807, was \"9223372036854775808\"");
        assertThat(failure("\"i\": 1.5").errorClass()).isEqualTo(ErrorClass.WRONG_TYPE);
        assertThat(failure("\"i\": true").errorClass()).isEqualTo(ErrorClass.WRONG_TYPE);
    }

    @Test
    void shouldCoerceFloatingPointAndRejectOverflowAndNonFiniteText() {
        GenericRecord r = normalize("\"f\": \"1.5\", \"d\": 0.1");
        assertThat(r.get("f")).isEqualTo(1.5f);
        assertThat(r.get("d")).isEqualTo(0.1d);
        assertThat(failure("\"f\": 1e39").errorClass()).isEqualTo(ErrorClass.NUMERIC_OVERFLOW);
        assertThat(failure("\"d\": \"Infinity\"").errorClass()).isEqualTo(ErrorClass.NON_FINITE_NUMBER);
        assertThat(failure("\"d\": -Infinity").errorClass()).isEqualTo(ErrorClass.NON_FINITE_NUMBER);
    }

    @Test
    void shouldCoerceBooleansFromJsonOrText() {
        assertThat(normalize("\"b\": \"TRUE\"").get("b")).isEqualTo(true);
        assertThat(normalize("\"b\": false").get("b")).isEqualTo(false);
        assertThat(failure("\"b\": \"yes\"").errorClass()).isEqualTo(ErrorClass.WRONG_TYPE);
    }

    @Test
    void shouldReadDatesAsEpochDays() {
        assertThat(normalize("\"day\": \"2024-02-29\"").get("day")).isEqualTo((int) LocalDate.of(2024, 2, 29).toEpochDay());
        assertThat(failure("\"day\": \"2023-02-29\"").errorClass()).isEqualTo(ErrorClass.BAD_TIMESTAMP);
    }

    @Test
    void shouldReadNonEventTimestampsFromIsoTextOrEpochNumbersInTheFieldsUnit() {
        GenericRecord r = normalize("\"other_ts\": 1706695200000, \"micros\": \"2024-01-31T10:00:00.123456Z\"");

        assertThat(r.get("other_ts")).isEqualTo(1706695200000L);
        assertThat(r.get("micros")).isEqualTo(1706695200123456L);
        assertThat(normalize("\"micros\": 1706695200123456").get("micros")).isEqualTo(1706695200123456L);
    }

    @Test
    void shouldSmearLeapSecondToTheLastInstantOfTheMinute() {
        assertThat(normalize("\"other_ts\": \"2016-12-31T23:59:60Z\"").get("other_ts"))
                .isEqualTo(Instant.parse("2016-12-31T23:59:59.999Z").toEpochMilli());
        assertThat(normalize("\"micros\": \"2016-12-31T23:59:60.5Z\"").get("micros"))
                .isEqualTo(Instant.parse("2016-12-31T23:59:59.999999Z").toEpochMilli() * 1000 + 999);
        assertThat(failure("\"other_ts\": \"2016-12-31T23:58:60Z\"").errorClass()).isEqualTo(ErrorClass.BAD_TIMESTAMP);
    }

    @Test
    void shouldReadEventTimeOffsetsAndLocalTimesInTheConfiguredZone() {
        Normalizer paris = TestPipelines.normalizer(TestPipelines.types(", zone: Europe/Paris", ""));

        assertThat(eventTime(paris, "2024-01-31T10:00:00")).isEqualTo(Instant.parse("2024-01-31T09:00:00Z"));
        assertThat(eventTime(paris, "2024-07-31 10:00:00")).isEqualTo(Instant.parse("2024-07-31T08:00:00Z"));
        assertThat(eventTime(paris, "2024-01-31T10:00:00+05:30")).isEqualTo(Instant.parse("2024-01-31T04:30:00Z"));
        assertThat(eventTime(paris, "2024-01-31T10:00:00-05:00[America/New_York]"))
                .isEqualTo(Instant.parse("2024-01-31T15:00:00Z"));
        assertThat(eventTime(paris, "2024-01-31")).isEqualTo(Instant.parse("2024-01-30T23:00:00Z"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "2024-01-31T10:00:00Z|2024-01-31T10:00:00Z",
            "2024-01-31T10:00:00.5+01:00|2024-01-31T09:00:00.500Z",
            "2024-01-31T10:00:00-05:00[America/New_York]|2024-01-31T15:00:00Z",
            "2024-01-31 10:00:00Z|2024-01-31T10:00:00Z"})
    void shouldReadIsoTimestampsThatCarryTheirZoneWithoutAConfiguredOne(String text, String expected) {
        assertThat(eventTime(normalizer, text)).isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"2026-12-01 10:01:10", "2026-12-01T10:01:10", "2026-12-01T10:01:10.123", "2026-12-01"})
    void shouldDeadLetterALocalTimeWhenNoZoneIsConfigured(String text) {
        NormalizeException e = failure(normalizer, "{\"id\": \"x\", \"ts\": \"" + text + "\"}");

        assertThat(e.errorClass()).isEqualTo(ErrorClass.TIMESTAMP_WITHOUT_ZONE);
        assertThat(e.getMessage()).isEqualTo("field ts (source ts): expected a timestamp with a zone like "
                + "2024-01-31T10:15:30Z or 2024-01-31T12:15:30+02:00 (local times need event-time.zone), was \""
                + text + "\"");
        assertThat(failure("\"other_ts\": \"" + text + "\"").errorClass()).as("every timestamp field")
                .isEqualTo(ErrorClass.TIMESTAMP_WITHOUT_ZONE);
    }

    @Test
    void shouldStillReadAPatternWithoutOffsetInUtcWhenNoZoneIsConfigured() {
        Normalizer n = TestPipelines.normalizer(TestPipelines.types(
                ", format: pattern, pattern: \"dd/MM/yyyy HH:mm\"", ""));

        assertThat(eventTime(n, "31/01/2024 10:00")).isEqualTo(Instant.parse("2024-01-31T10:00:00Z"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "epoch-seconds, 1706695200, 2024-01-31T10:00:00Z",
            "epoch-seconds, 1706695200.5, 2024-01-31T10:00:00.500Z",
            "epoch-millis, 1706695200123, 2024-01-31T10:00:00.123Z",
            "epoch-millis, \"1706695200123\", 2024-01-31T10:00:00.123Z",
            "epoch-micros, 1706695200123999, 2024-01-31T10:00:00.123Z"})
    void shouldReadEventTimeInTheConfiguredEpochUnit(String format, String json, String expected) {
        Normalizer n = TestPipelines.normalizer(TestPipelines.types(", format: " + format, ""));

        assertThat(n.normalize(("{\"id\": \"x\", \"ts\": " + json + "}").getBytes(UTF_8)).eventTimeMillis())
                .isEqualTo(Instant.parse(expected).toEpochMilli());
    }

    @Test
    void shouldReadEventTimeWithAConfiguredPattern() {
        Normalizer n = TestPipelines.normalizer(TestPipelines.types(
                ", format: pattern, pattern: \"dd/MM/yyyy HH:mm\", zone: Asia/Tokyo", ""));

        assertThat(eventTime(n, "31/01/2024 19:00")).isEqualTo(Instant.parse("2024-01-31T10:00:00Z"));
        assertThat(failure(n, "{\"id\": \"x\", \"ts\": \"2024-01-31T10:00:00Z\"}").getMessage()).isEqualTo(
                "field ts (source ts): expected a timestamp of pattern dd/MM/yyyy HH:mm, was \"2024-01-31T10:00:00Z\"");
    }

    @Test
    void shouldRejectEpochEventTimeBeyondYear9999() {
        Normalizer n = TestPipelines.normalizer(TestPipelines.types(", format: epoch-seconds", ""));

        assertThat(failure(n, "{\"id\": \"x\", \"ts\": 253402300800}").errorClass())
                .isEqualTo(ErrorClass.TIMESTAMP_OUT_OF_RANGE);
        assertThat(failure(n, "{\"id\": \"x\", \"ts\": 1e30}").errorClass())
                .isEqualTo(ErrorClass.TIMESTAMP_OUT_OF_RANGE);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldBuildNestedRecordsArraysAndMapsWithNestedDefaults() {
        GenericRecord r = normalize("\"tags\": [\"a\", \"b\"], \"scores\": {\"x\": 1}, \"owner\": {\"name\": \"Bo\"},"
                + " \"color\": \"GREEN\"");

        assertThat((List<Object>) r.get("tags")).containsExactly("a", "b");
        assertThat(r.get("scores")).isEqualTo(Map.of("x", 1L));
        assertThat(((GenericRecord) r.get("owner")).get("name")).isEqualTo("Bo");
        assertThat(((GenericRecord) r.get("owner")).get("level")).isEqualTo(1);
        assertThat(r.get("color").toString()).isEqualTo("GREEN");
        assertThat(r.get("region").toString()).isEqualTo("eu");
    }

    @Test
    void shouldNameNestedFieldPathsInMessages() {
        assertThat(failure("\"owner\": {\"level\": 3}").getMessage())
                .isEqualTo("field owner.name (source owner.name): required field is missing");
        assertThat(failure("\"scores\": {\"x\": \"many\"}").getMessage())
                .isEqualTo("field scores.x (source scores.x): expected a long, was \"many\"");
        assertThat(failure("\"tags\": [\"a\", {}]").getMessage())
                .isEqualTo("field tags[1] (source tags[1]): expected a string, was \"{}\"");
    }

    @Test
    void shouldReadFieldsThroughMappedJsonPathsWithArrayIndexes() {
        Normalizer n = TestPipelines.normalizer(TestPipelines.types("", "fields: { id: \"$.items[1].code\" }"));

        GenericRecord r = n.normalize(("{\"items\": [{\"code\": \"A\"}, {\"code\": \"B\"}], " + TS + "}")
                .getBytes(UTF_8)).value();

        assertThat(r.get("id")).isEqualTo("B");
    }

    @Test
    void shouldJoinSeveralKeyFieldsWithPipes() {
        PipelineConfig p = TestPipelines.types();
        Normalizer n = TestPipelines.normalizer(new PipelineConfig(p.name(), p.source(), p.schemaFile(),
                List.of("id", "region", "ts"), p.eventTime(), p.fields(), p.outputTopic(), p.dlqTopic(), p.landing(),
                p.aggregations(), p.limits()));

        assertThat(n.normalize(("{\"id\": \"x\", " + TS + "}").getBytes(UTF_8)).key())
                .isEqualTo("x|eu|1706695200000");
    }

    private static Instant eventTime(Normalizer n, String ts) {
        return Instant.ofEpochMilli(n.normalize(("{\"id\": \"x\", \"ts\": \"" + ts + "\"}").getBytes(UTF_8))
                .eventTimeMillis());
    }

    static BigDecimal decimal(GenericRecord r, String field) {
        Schema schema = r.getSchema().getField(field).schema().getTypes().get(1);
        return new Conversions.DecimalConversion().fromBytes(((java.nio.ByteBuffer) r.get(field)).duplicate(), schema,
                (LogicalTypes.Decimal) schema.getLogicalType());
    }
}
