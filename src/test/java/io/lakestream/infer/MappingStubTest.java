package io.lakestream.infer;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.lakestream.config.PipelineConfig.CsvOptions;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.lakestream.infer.Samples.utf8;
import static org.assertj.core.api.Assertions.assertThat;

class MappingStubTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String CLAIM = "{\"account\":{\"id\":\"A-1\"},\"claimId\":\"C-1\",\"amount\":\"1234.50\","
            + "\"currency\":\"EUR\",\"status\":\"OPEN\",\"claimTs\":\"2024-05-01T10:00:00Z\"}";

    private final SchemaInferrer inferrer = new SchemaInferrer("Claim", "io.lakestream.claims");

    @Test
    void shouldWriteFieldsMappingWithCommentedKeyAndEventTimeSuggestions() {
        InferredSchema inferred = inferrer.inferJson(utf8(CLAIM, "{broken"));

        assertThat(inferred.mappingStub()).isEqualTo("""
                # Proposed by lakestream infer-schema from 1 of 2 sample(s); review the types in the .avsc before use.
                # key: account_id
                # event-time: { field: claim_ts, format: iso-8601 }
                fields:
                  account_id: $.account.id  # string
                  claim_id: $.claimId  # string
                  amount: $.amount  # decimal(6,2)
                  currency: $.currency  # string
                  status: $.status  # string
                  claim_ts: $.claimTs  # timestamp-millis
                """);
    }

    @Test
    void shouldParseBackAsTheFieldMappingUnderAPipeline() throws Exception {
        InferredSchema inferred = inferrer.inferJson(utf8(CLAIM));
        String pipeline = "pipelines:\n  - name: claims\n    key: account_id\n" + inferred.mappingStub(4);

        Map<String, Object> root = YAML.readValue(pipeline, new TypeReference<>() { });

        @SuppressWarnings("unchecked")
        Map<String, Object> first = (Map<String, Object>) ((java.util.List<Object>) root.get("pipelines")).get(0);
        assertThat(first.get("fields")).isEqualTo(expectedMapping(inferred));
    }

    @Test
    void shouldQuoteNamesAndPathsThatYamlWouldReadDifferently() throws Exception {
        InferredSchema inferred = inferrer.inferCsv(utf8("null,\"a: b # c\",\"x\ny\",'q',-1,on\n1,2,3,4,5,6\n"),
                new CsvOptions(true, ',', '"', null));

        String stub = inferred.mappingStub();
        Map<String, Object> root = YAML.readValue(stub, new TypeReference<>() { });

        assertThat(root.get("fields")).isEqualTo(expectedMapping(inferred));
        assertThat(stub).contains("  \"null\": \"null\"", "  a_b_c: \"a: b # c\"", "  x_y: \"x\\u000ay\"",
                "  \"on\": \"on\"");
    }

    @Test
    void shouldSaySoWhenThereIsNoKeyOrEventTimeCandidate() {
        InferredSchema inferred = inferrer.inferJson(utf8("{\"id\":1,\"paid\":2}", "{\"paid\":3}"));

        assertThat(inferred.suggestedKey()).isEmpty();
        assertThat(inferred.mappingStub()).contains(
                "# key: (no field named like *id* has a value in every sample)",
                "# event-time: (no timestamp field found; Kafka record time would be used)");
    }

    @Test
    void shouldSuggestTheFirstIdFieldPresentEverywhereAndTheFirstTimestampWithItsFormat() {
        InferredSchema inferred = inferrer.inferJson(utf8(
                "{\"paid\":1,\"tags\":[\"x\"],\"claim_id\":\"C\",\"created_at\":1714557600123,\"ts\":\"2024-05-01T10:00:00Z\"}",
                "{\"paid\":2,\"tags\":[\"y\"],\"claim_id\":\"D\",\"created_at\":1714557600999,\"ts\":\"2024-05-01T10:00:01Z\"}"));

        assertThat(inferred.suggestedKey()).get().extracting(InferredField::name).isEqualTo("claim_id");
        assertThat(inferred.suggestedEventTime()).get().extracting(InferredField::name, InferredField::timeFormat)
                .containsExactly("created_at", "epoch-millis");
        assertThat(inferred.mappingStub()).contains("# event-time: { field: created_at, format: epoch-millis }");
    }

    @Test
    void shouldSummarizeFieldsWithTypesSourcesAndNotes() {
        InferredSchema inferred = inferrer.inferJson(utf8(CLAIM));

        assertThat(inferred.summary())
                .startsWith("Schema io.lakestream.claims.Claim from 1 of 1 sample(s)\n")
                .contains("  amount                   decimal(6,2)                     $.amount (1 present, 0 null)\n")
                .contains("      note: enum candidate: 1 distinct value(s) [OPEN]")
                .doesNotContain("Unreadable");
    }

    private static Map<String, String> expectedMapping(InferredSchema inferred) {
        Map<String, String> mapping = new LinkedHashMap<>();
        inferred.fields().forEach(field -> mapping.put(field.name(), field.sourcePath()));
        return mapping;
    }
}
