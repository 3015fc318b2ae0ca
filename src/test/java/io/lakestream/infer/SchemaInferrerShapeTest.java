package io.lakestream.infer;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.lakestream.infer.Samples.field;
import static io.lakestream.infer.Samples.utf8;
import static io.lakestream.infer.Samples.valueType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchemaInferrerShapeTest {

    private final SchemaInferrer inferrer = new SchemaInferrer("Claim", "io.lakestream.claims");

    @Test
    void shouldInferTheClaimsFixtureAndReportTheMalformedLine() {
        InferredSchema inferred = inferrer.inferJson(Samples.fixtureLines("claims.jsonl"));

        assertThat(inferred.sampleCount()).isEqualTo(5);
        assertThat(inferred.rejectedSamples()).singleElement().satisfies(rejected -> {
            assertThat(rejected.index()).isEqualTo(3);
            assertThat(rejected.reason()).isEqualTo("malformed JSON: Unexpected end-of-input: expected close marker "
                    + "for Object (start marker at [line: 1, column: 1]) at line 1, column 145");
        });
        assertThat(inferred.fields()).extracting(InferredField::name).containsExactly("account_id", "account_region",
                "claim_id", "amount", "currency", "status", "claim_ts", "adjuster", "lines");
        assertThat(field(inferred, "amount").typeName()).isEqualTo("decimal(6,2)");
        assertThat(field(inferred, "claim_ts").typeName()).isEqualTo("timestamp-millis");
        assertThat(field(inferred, "account_region").nullable()).isTrue();
        assertThat(field(inferred, "adjuster").typeName()).isEqualTo("string (nullable)");
        assertThat(field(inferred, "account_id").presentCount()).isEqualTo(4);
    }

    @Test
    void shouldWriteAnAvscThatParsesBackToTheSameSchema() {
        InferredSchema inferred = inferrer.inferJson(Samples.fixtureLines("claims.jsonl"));

        Schema parsed = new Schema.Parser().parse(inferred.toAvsc());

        assertThat(parsed).isEqualTo(inferred.schema());
        assertThat(parsed.getFullName()).isEqualTo("io.lakestream.claims.Claim");
        assertThat(parsed.getField("account_id").doc()).isEqualTo("source: $.account.id");
        assertThat(inferred.toAvsc()).contains("\n  \"fields\" : [");
    }

    @Test
    void shouldKeepArraysAsAvroArraysAndObjectsInsideThemAsRecords() {
        InferredSchema inferred = inferrer.inferJson(utf8(
                "{\"tags\":[\"a\",\"b\"],\"lines\":[{\"code\":\"L1\",\"cost\":\"7.50\"},{\"code\":\"L2\",\"qty\":2}],"
                        + "\"scores\":[1,null,3],\"empty\":[]}"));

        assertThat(field(inferred, "tags").typeName()).isEqualTo("array<string>");
        assertThat(field(inferred, "scores").typeName()).isEqualTo("array<int (nullable)>");
        assertThat(field(inferred, "empty").typeName()).isEqualTo("array<string (nullable)>");
        assertThat(field(inferred, "empty").notes()).first().asString().startsWith("arrays were empty");
        Schema line = field(inferred, "lines").schema().getElementType();
        assertThat(line.getFullName()).isEqualTo("io.lakestream.claims.Lines");
        assertThat(line.getField("code").schema().getType()).isEqualTo(Schema.Type.STRING);
        assertThat(InferredField.describe(line.getField("cost").schema())).isEqualTo("decimal(3,2) (nullable)");
        assertThat(InferredField.describe(line.getField("qty").schema())).isEqualTo("int (nullable)");
    }

    @Test
    void shouldTurnArraysMixedWithScalarsIntoString() {
        InferredSchema inferred = inferrer.inferJson(utf8("{\"x\":[1]}", "{\"x\":1}"));

        assertThat(field(inferred, "x").typeName()).isEqualTo("string");
        assertThat(field(inferred, "x").notes()).singleElement().asString().startsWith("mixed types");
    }

    @Test
    void shouldSanitizeNamesIntoValidSnakeCaseAvroNames() {
        InferredSchema inferred = inferrer.inferJson(utf8(
                "{\"1st-name\":\"a\",\"claim amount ($)\":1,\"HTTPCode\":2,\"Ünïcode\":3,\"\":4,\"a.b\":5}"));

        assertThat(inferred.fields()).extracting(InferredField::name)
                .containsExactly("f_1st_name", "claim_amount", "http_code", "unicode", "field", "a_b");
        assertThat(inferred.fields()).extracting(InferredField::sourcePath).containsExactly("$['1st-name']",
                "$['claim amount ($)']", "$.HTTPCode", "$['Ünïcode']", "$['']", "$['a.b']");
        assertThat(new Schema.Parser().parse(inferred.toAvsc()).getFields()).hasSize(6);
    }

    @Test
    void shouldResolveNameCollisionsInFirstSeenOrder() {
        InferredSchema inferred = inferrer.inferJson(utf8("{\"account\":{\"id\":\"A\"},\"account_id\":\"B\",\"accountId\":\"C\"}",
                "{\"Account-ID\":\"D\"}"));

        assertThat(inferred.fields()).extracting(InferredField::name)
                .containsExactly("account_id", "account_id_2", "account_id_3", "account_id_4");
        assertThat(inferred.fields()).extracting(InferredField::sourcePath)
                .containsExactly("$.account.id", "$.account_id", "$.accountId", "$['Account-ID']");
        assertThat(field(inferred, "account_id_2").notes()).first()
                .isEqualTo("named account_id_2 because account_id is taken by $.account.id");
    }

    @Test
    void shouldKeepFirstSeenFieldOrderAndGiveTheSameSchemaForTheSameSamples() {
        List<byte[]> samples = utf8("{\"b\":1,\"a\":2}", "{\"c\":3,\"a\":4}", "{\"d\":{\"z\":1,\"y\":2}}");

        InferredSchema first = inferrer.inferJson(samples);
        InferredSchema second = inferrer.inferJson(samples);

        assertThat(first.fields()).extracting(InferredField::name).containsExactly("b", "a", "c", "d_z", "d_y");
        assertThat(first.toAvsc()).isEqualTo(second.toAvsc());
        assertThat(first.mappingStub()).isEqualTo(second.mappingStub());
    }

    @Test
    void shouldCountUnreadableSamplesWithTheirIndexAndReason() {
        List<byte[]> samples = new ArrayList<>(utf8("{\"a\":1}", "{\"a\":", "[1,2]", "{\"a\":1} {\"a\":2}",
                "{\"a\":1,\"a\":2}", "", "{\"a\":007}"));
        samples.add(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
        samples.add(null);

        InferredSchema inferred = inferrer.inferJson(samples);

        assertThat(inferred.readableCount()).isEqualTo(1);
        assertThat(inferred.rejectedSamples()).extracting(RejectedSample::index).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(inferred.rejectedSamples()).extracting(RejectedSample::reason).satisfiesExactly(
                reason -> assertThat(reason).startsWith("malformed JSON: Unexpected end-of-input"),
                reason -> assertThat(reason).isEqualTo("top-level JSON value must be an object, found an array"),
                reason -> assertThat(reason).startsWith("unexpected content after the JSON object"),
                reason -> assertThat(reason).startsWith("duplicate key 'a'"),
                reason -> assertThat(reason).isEqualTo("empty value"),
                reason -> assertThat(reason).startsWith("malformed JSON: Invalid numeric value: Leading zeroes"),
                reason -> assertThat(reason).isEqualTo("invalid UTF-8 at byte 6"),
                reason -> assertThat(reason).isEqualTo("null value (tombstone)"));
        assertThat(field(inferred, "a").typeName()).isEqualTo("int");
        assertThat(inferred.summary()).contains("Unreadable samples: 8", "  sample 7: invalid UTF-8 at byte 6");
    }

    @Test
    void shouldFailWhenNoSampleIsReadable() {
        assertThatThrownBy(() -> inferrer.inferJson(utf8("not json", "[]")))
                .isInstanceOf(SchemaInferenceException.class)
                .hasMessageStartingWith("none of the 2 samples is readable; first: sample 0: malformed JSON");
        assertThatThrownBy(() -> inferrer.inferJson(List.of()))
                .isInstanceOf(SchemaInferenceException.class)
                .hasMessage("no samples to infer a schema from");
    }

    @Test
    void shouldRejectAnInvalidRecordNameOrNamespace() {
        assertThatThrownBy(() -> new SchemaInferrer("1Claim", "io.lakestream"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1Claim");
        assertThatThrownBy(() -> new SchemaInferrer("Claim", "io.lake-stream"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldGiveNestedRecordsNamesThatDoNotClashWithTheTopRecord() {
        InferredSchema inferred = new SchemaInferrer("Lines", null).inferJson(utf8("{\"lines\":[{\"a\":1}]}"));

        assertThat(field(inferred, "lines").schema().getElementType().getName()).isEqualTo("Lines_2");
        assertThat(new Schema.Parser().parse(inferred.toAvsc())).isEqualTo(inferred.schema());
    }

    @Test
    void shouldReadUtf8TextInValues() {
        InferredSchema inferred = inferrer.inferJson(List.of("{\"name\":\"Zoë\",\"ts\":\"2024-05-01T10:00:00Z\"}"
                .getBytes(StandardCharsets.UTF_8)));

        assertThat(valueType(inferred, "ts").getLogicalType()).isEqualTo(LogicalTypes.timestampMillis());
        assertThat(valueType(inferred, "name").getType()).isEqualTo(Schema.Type.STRING);
    }
}
