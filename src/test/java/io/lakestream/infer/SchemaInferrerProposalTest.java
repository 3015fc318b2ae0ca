package io.lakestream.infer;

import static io.lakestream.infer.Samples.field;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.cli.Main;
import io.lakestream.config.ConfigLoader;
import io.lakestream.config.PipelineConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An e-commerce stream as a producer really sends it — a few malformed lines, prices with a stray third decimal,
 * events without a timestamp — and the proposal taken as is: it must pass {@code validate}, and what it would send
 * to the dead-letter topic is what the notes say.
 */
class SchemaInferrerProposalTest {

    private static final String[] TYPES = {"VIEW", "VIEW", "VIEW", "CART", "PURCHASE", "VIEW", "REFUND", "CART"};
    private static final long T0 = Instant.parse("2026-12-01T10:00:00Z").toEpochMilli();

    private final SchemaInferrer inferrer = new SchemaInferrer("ShopEvent", "io.lakestream.shop");

    @TempDir
    Path tmp;

    /** 400 samples: every 50th a malformed line, every 40th a 3-decimal price, every 33rd without ts. */
    private static List<byte[]> samples() {
        List<byte[]> samples = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            if (i % 50 == 49) {
                samples.add(("{\"event_id\": \"E-" + i + "\", \"price\": ").getBytes(StandardCharsets.UTF_8));
                continue;
            }
            String price = i % 40 == 7 ? String.format(Locale.ROOT, "%d.%03d", 10 + i, i % 1000)
                    : String.format(Locale.ROOT, "%d.%02d", 10 + i, i % 100);
            String ts = i % 33 == 5 ? "" : ", \"ts\": \"" + Instant.ofEpochMilli(T0 + i * 1000L) + "\"";
            samples.add(("{\"event_id\": \"E-" + i + "\", \"user\": {\"id\": \"U-" + (i % 17) + "\"}, \"event_type\": \""
                    + TYPES[i % TYPES.length] + "\", \"price\": " + price + ts + "}").getBytes(StandardCharsets.UTF_8));
        }
        return samples;
    }

    @Test
    void shouldTakeDecimalScaleAndPrecisionFromTheValuesThatAgreeAndReportTheOthers() {
        InferredField price = field(inferrer.inferJson(samples()), "price");

        assertThat(price.typeName()).isEqualTo("decimal(5,2)");
        assertThat(price.notes()).contains("10 outlier(s) of 392 value(s) (2.6 %) would go to the dead-letter topic as "
                + "DECIMAL_SCALE: more than 2 fraction digit(s), e.g. '17.007' (sample 7)");
    }

    @Test
    void shouldProposeTheEventTimeNonNullWithItsMissingValuesAsDeadLetters() {
        InferredSchema inferred = inferrer.inferJson(samples());
        InferredField ts = field(inferred, "ts");

        assertThat(inferred.suggestedEventTime()).contains(ts);
        assertThat(ts.nullable()).isFalse();
        assertThat(ts.typeName()).isEqualTo("timestamp-millis");
        assertThat(ts.notes()).contains("proposed event time, so not nullable: the 12 of 392 readable sample(s) "
                + "without a value (3.1 %) would go to the dead-letter topic as MISSING_FIELD");
    }

    @Test
    void shouldProposeAFewFrequentSymbolsAsAnEnumListedWithTheirCounts() {
        InferredField type = field(inferrer.inferJson(samples()), "event_type");

        assertThat(type.schema().getType()).isEqualTo(Schema.Type.ENUM);
        assertThat(type.schema().getEnumSymbols()).containsExactly("VIEW", "CART", "PURCHASE", "REFUND");
        assertThat(type.notes()).containsExactly("enum of 4 symbol(s) from 392 value(s): VIEW 196, CART 96, "
                + "PURCHASE 50, REFUND 50; any other value (a new kind, a typo) will go to the dead-letter topic as "
                + "UNKNOWN_ENUM: add its symbol to the schema before producers send it");
    }

    @Test
    void shouldKeepAStringWhenTheSamplesAreTooFewOrASymbolTooRare() {
        List<byte[]> few = new ArrayList<>();
        List<byte[]> rare = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            String status = i == 3 || i == 4 ? "CLOSD" : i % 2 == 0 ? "OPEN" : "CLOSED";
            rare.add(("{\"status\": \"" + status + "\"}").getBytes(StandardCharsets.UTF_8));
            if (i < 199) {
                few.add(("{\"status\": \"" + (i % 2 == 0 ? "OPEN" : "CLOSED") + "\"}").getBytes(StandardCharsets.UTF_8));
            }
        }

        assertThat(field(inferrer.inferJson(few), "status").notes()).containsExactly("enum candidate: 2 distinct "
                + "value(s) [OPEN, CLOSED] in 199 value(s); kept as string: an enum is proposed from 200 values on");
        InferredField status = field(inferrer.inferJson(rare), "status");
        assertThat(status.schema().getType()).isEqualTo(Schema.Type.STRING);
        assertThat(status.notes()).singleElement().asString().endsWith("seen fewer than 3 times: 'CLOSD' 2x");
    }

    /** What a user does with the output: the .avsc as written, and the suggested key, event time and mapping. */
    @Test
    void shouldProposeASchemaAndMappingThatPassValidateUnchanged() throws Exception {
        InferredSchema inferred = inferrer.inferJson(samples());
        Files.writeString(tmp.resolve("shop-event.avsc"), inferred.toAvsc());
        InferredField eventTime = inferred.suggestedEventTime().orElseThrow();
        Path config = tmp.resolve("shop.yaml");
        Files.writeString(config, """
                application: { id: shop }
                kafka: { bootstrap.servers: "localhost:9092" }
                registry: { type: local }
                lake: { store: local }
                catalog: { type: local, database: shop }
                pipelines:
                  - name: events
                    source: { topics: [shop.raw], format: json }
                    schema: shop-event.avsc
                    key: %s
                    event-time: { field: %s, format: %s }
                """.formatted(inferred.suggestedKey().orElseThrow().name(), eventTime.name(), eventTime.timeFormat())
                + inferred.mappingStub(4));

        PipelineConfig pipeline = ConfigLoader.load(config).pipelines().get(0);

        assertThat(pipeline.key()).containsExactly("event_id");
        assertThat(pipeline.fields()).containsEntry("user_id", "$.user.id");
        assertThat(Main.execute("validate", "--config", config.toString())).isZero();
    }
}
