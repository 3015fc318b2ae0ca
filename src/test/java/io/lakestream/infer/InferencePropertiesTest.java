package io.lakestream.infer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.constraints.UniqueElements;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.lakestream.infer.Samples.field;
import static io.lakestream.infer.Samples.utf8;
import static io.lakestream.infer.Samples.valueType;
import static org.assertj.core.api.Assertions.assertThat;

/** Every sample that produced a schema can be coerced into it without loss. */
class InferencePropertiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final SchemaInferrer inferrer = new SchemaInferrer("Sample", "io.lakestream.test");

    /** A decimal as written in a sample: its text, and whether it is a JSON number or a JSON string. */
    record WrittenDecimal(BigDecimal value, boolean quoted) {
        String json() {
            return quoted ? "\"" + value.toPlainString() + "\"" : value.toPlainString();
        }
    }

    @Provide
    Arbitrary<WrittenDecimal> writtenDecimals() {
        Arbitrary<BigDecimal> values = Combinators.combine(
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(18).negate(), BigInteger.TEN.pow(18)),
                Arbitraries.integers().between(1, 8)).as(BigDecimal::new);
        return Combinators.combine(values, Arbitraries.of(true, false)).as(WrittenDecimal::new);
    }

    @Property(tries = 200)
    void decimalsRoundTripTheSampleTextExactly(@ForAll @Size(min = 1, max = 20)
                                               List<@From("writtenDecimals") WrittenDecimal> values) {
        List<String> samples = values.stream().map(value -> "{\"amount\":" + value.json() + "}").toList();

        InferredSchema inferred = inferrer.inferJson(utf8(samples.toArray(String[]::new)));

        Schema type = valueType(inferred, "amount");
        assertThat(type.getLogicalType()).isInstanceOf(LogicalTypes.Decimal.class);
        LogicalTypes.Decimal decimal = (LogicalTypes.Decimal) type.getLogicalType();
        Conversions.DecimalConversion conversion = new Conversions.DecimalConversion();
        // A few values with more fraction digits than the rest agree on are outliers, reported as dead letters
        List<WrittenDecimal> beyond = values.stream().filter(v -> v.value().scale() > decimal.getScale()).toList();
        assertThat(beyond.size()).isLessThanOrEqualTo((int) (Outliers.MAX_OUTLIER_SHARE * values.size()));
        if (!beyond.isEmpty()) {
            assertThat(Samples.field(inferred, "amount").notes()).anySatisfy(note -> assertThat(note)
                    .startsWith(beyond.size() + " outlier(s) of " + values.size()).contains("DECIMAL_SCALE"));
        }
        for (WrittenDecimal written : values) {
            if (beyond.contains(written)) {
                continue;
            }
            BigDecimal coerced = written.value().setScale(decimal.getScale(), RoundingMode.UNNECESSARY);
            assertThat(coerced.precision()).isLessThanOrEqualTo(decimal.getPrecision());
            ByteBuffer bytes = conversion.toBytes(coerced, type, decimal);
            BigDecimal readBack = conversion.fromBytes(bytes, type, decimal);
            assertThat(readBack.setScale(written.value().scale(), RoundingMode.UNNECESSARY).toPlainString())
                    .isEqualTo(written.value().toPlainString());
        }
    }

    @Property(tries = 200)
    void integersGetTheNarrowestIntegralTypeThatHoldsEveryValue(@ForAll @Size(min = 1, max = 20) List<Long> values) {
        List<String> samples = values.stream().map(value -> "{\"n\":" + value + "}").toList();

        InferredSchema inferred = inferrer.inferJson(utf8(samples.toArray(String[]::new)));

        boolean allFitInt = values.stream().allMatch(value -> value == value.intValue());
        assertThat(valueType(inferred, "n").getType()).isEqualTo(allFitInt ? Schema.Type.INT : Schema.Type.LONG);
    }

    @Provide
    Arbitrary<Instant> instants() {
        Arbitrary<Instant> micros = Arbitraries.longs().between(0, 7_258_118_400_000_000L)
                .map(value -> Instant.EPOCH.plus(value, ChronoUnit.MICROS));
        Arbitrary<Instant> millis = Arbitraries.longs().between(0, 7_258_118_400_000L).map(Instant::ofEpochMilli);
        return Arbitraries.oneOf(micros, millis);
    }

    @Property(tries = 200)
    void isoTimestampsKeepTheirInstant(@ForAll @Size(min = 1, max = 20) List<@From("instants") Instant> values) {
        List<String> samples = values.stream()
                .map(value -> "{\"ts\":\"" + DateTimeFormatter.ISO_INSTANT.format(value) + "\"}").toList();

        InferredSchema inferred = inferrer.inferJson(utf8(samples.toArray(String[]::new)));

        Schema type = valueType(inferred, "ts");
        boolean subMillis = values.stream().anyMatch(value -> value.getNano() % 1_000_000 != 0);
        if (subMillis) {
            assertThat(type.getLogicalType()).isEqualTo(LogicalTypes.timestampMicros());
            var conversion = new TimeConversions.TimestampMicrosConversion();
            values.forEach(value -> assertThat(conversion.fromLong(conversion.toLong(value, type, type.getLogicalType()),
                    type, type.getLogicalType())).isEqualTo(value));
        } else {
            assertThat(type.getLogicalType()).isEqualTo(LogicalTypes.timestampMillis());
            var conversion = new TimeConversions.TimestampMillisConversion();
            values.forEach(value -> assertThat(conversion.fromLong(conversion.toLong(value, type, type.getLogicalType()),
                    type, type.getLogicalType())).isEqualTo(value));
        }
    }

    @Property(tries = 200)
    void anyKeysGiveValidDistinctAvroNamesInSourceOrder(
            @ForAll @Size(min = 1, max = 8) @UniqueElements List<@StringLength(max = 12) String> keys)
            throws JsonProcessingException {
        Map<String, Integer> object = new LinkedHashMap<>();
        keys.forEach(key -> object.put(key, 1));

        InferredSchema inferred = inferrer.inferJson(utf8(JSON.writeValueAsString(object)));

        List<String> names = inferred.fields().stream().map(InferredField::name).toList();
        assertThat(new HashSet<>(names)).hasSameSizeAs(names);
        assertThat(names).allMatch(name -> name.matches("[a-z_][a-z0-9_]*"));
        assertThat(inferred.fields()).extracting(InferredField::sourcePath)
                .containsExactlyElementsOf(keys.stream().map(key -> "$" + AvroNames.jsonPathSegment(key)).toList());
        assertThat(new Schema.Parser().parse(inferred.toAvsc())).isEqualTo(inferred.schema());
    }

    @Property(tries = 100)
    void fieldsAreNullableExactlyWhenSomeReadableSampleLacksAValue(
            @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 0, max = 2) Integer> shapes) {
        List<String> samples = new ArrayList<>();
        for (int shape : shapes) {
            samples.add(switch (shape) {
                case 0 -> "{\"v\":7,\"k\":1}";
                case 1 -> "{\"v\":null,\"k\":1}";
                default -> "{\"k\":1}";
            });
        }

        InferredSchema inferred = inferrer.inferJson(utf8(samples.toArray(String[]::new)));

        long present = shapes.stream().filter(shape -> shape == 0).count();
        if (shapes.stream().allMatch(shape -> shape == 2)) {
            assertThat(inferred.fields()).extracting(InferredField::name).containsExactly("k");
            return;
        }
        InferredField v = field(inferred, "v");
        assertThat(v.nullable()).isEqualTo(present < shapes.size());
        assertThat(v.presentCount()).isEqualTo(present);
        assertThat(v.nullCount()).isEqualTo(shapes.stream().filter(shape -> shape == 1).count());
        assertThat(field(inferred, "k").nullable()).isFalse();
    }
}
