package io.lakestream.sink.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakestream.config.FileFormat;
import io.lakestream.sink.LakeReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class FormatWriterTest {

    private static final Schema SCHEMA = new Schema.Parser().parse("""
            {"type": "record", "name": "Row", "fields": [
              {"name": "text", "type": "string"},
              {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 24, "scale": 4}},
              {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
              {"name": "day", "type": {"type": "int", "logicalType": "date"}},
              {"name": "maybe", "type": ["null", "long"], "default": null},
              {"name": "ok", "type": "boolean"},
              {"name": "tags", "type": {"type": "array", "items": "string"}},
              {"name": "inner", "type": {"type": "record", "name": "Inner", "fields": [{"name": "n", "type": "int"}]}}
            ]}""");

    /** More digits than a double holds: a lossy path would change them. */
    private static final BigDecimal EXACT = new BigDecimal("12345678901234567.8900");

    private static GenericRecord row(boolean logicalForm) {
        GenericRecord r = new GenericData.Record(SCHEMA);
        Schema decimal = SCHEMA.getField("amount").schema();
        r.put("text", "comma, \"quote\"\nnewline é");
        r.put("amount", logicalForm ? EXACT
                : new Conversions.DecimalConversion().toBytes(EXACT, decimal, decimal.getLogicalType()));
        r.put("at", logicalForm ? Instant.parse("2024-03-01T10:00:00.123Z")
                : Instant.parse("2024-03-01T10:00:00.123Z").toEpochMilli());
        r.put("day", logicalForm ? LocalDate.parse("2024-03-01") : (int) LocalDate.parse("2024-03-01").toEpochDay());
        r.put("maybe", null);
        r.put("ok", true);
        r.put("tags", List.of("x", "y"));
        GenericRecord inner = new GenericData.Record(SCHEMA.getField("inner").schema());
        inner.put("n", 7);
        r.put("inner", inner);
        return r;
    }

    @ParameterizedTest
    @EnumSource(FileFormat.class)
    void shouldRoundTripScalarsExactlyWhetherValuesAreRawOrLogical(FileFormat format) {
        byte[] content = FormatWriter.of(format, "snappy").write(SCHEMA, List.of(row(false), row(true)));

        List<Map<String, String>> rows = LakeReader.read(content, format);
        assertThat(rows).hasSize(2).allSatisfy(r -> {
            assertThat(r.get("text")).isEqualTo("comma, \"quote\"\nnewline é");
            assertThat(r.get("amount")).isEqualTo("12345678901234567.8900");
            assertThat(r.get("at")).isEqualTo("2024-03-01T10:00:00.123Z");
            assertThat(r.get("day")).isEqualTo("2024-03-01");
            assertThat(r.get("maybe")).isEmpty();
            assertThat(r.get("ok")).isEqualTo("true");
        });
    }

    @Test
    void shouldWriteDecimalsAsExactJsonNumbersAndNestedValuesAsJson() throws Exception {
        byte[] content = FormatWriter.of(FileFormat.JSONL, null).write(SCHEMA, List.of(row(false)));

        JsonNode node = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .readTree(new String(content, StandardCharsets.UTF_8));
        assertThat(new String(content, StandardCharsets.UTF_8)).contains("\"amount\":12345678901234567.8900,");
        assertThat(node.get("amount").isNumber()).isTrue();
        assertThat(node.get("amount").decimalValue()).isEqualByComparingTo(EXACT);
        assertThat(node.get("maybe").isNull()).isTrue();
        assertThat(node.get("tags").toString()).isEqualTo("[\"x\",\"y\"]");
        assertThat(node.get("inner").get("n").asInt()).isEqualTo(7);
    }

    @Test
    void shouldWriteRfc4180CsvWithHeaderAndNestedValuesAsJsonText() {
        String csv = new String(FormatWriter.of(FileFormat.CSV, null).write(SCHEMA, List.of(row(false))),
                StandardCharsets.UTF_8);

        assertThat(csv).startsWith("text,amount,at,day,maybe,ok,tags,inner\r\n")
                .contains("\"comma, \"\"quote\"\"\nnewline é\",12345678901234567.8900,2024-03-01T10:00:00.123Z,"
                        + "2024-03-01,,true,\"[\"\"x\"\",\"\"y\"\"]\",\"{\"\"n\"\":7}\"\r\n");
    }

    @Test
    void shouldCompressParquetWithSnappyByDefault() {
        assertThat(ParquetFormatWriter.codec(null).name()).isEqualTo("SNAPPY");
        assertThat(ParquetFormatWriter.codec("none").name()).isEqualTo("UNCOMPRESSED");
        assertThat(ParquetFormatWriter.codec("zstd").name()).isEqualTo("ZSTD");
    }
}
