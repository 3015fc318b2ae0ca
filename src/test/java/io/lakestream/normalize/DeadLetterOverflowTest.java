package io.lakestream.normalize;

import static io.lakestream.normalize.NormalizeStageJsonTest.CLAIM;
import static io.lakestream.normalize.StageHarness.header;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.ConfigLoader;
import io.lakestream.config.PipelineConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Records too large for the pipeline's own topics (limits as read from the cluster at start) still reach the DLQ:
 * a dead letter over the DLQ topic's limit keeps its bytes as an object in the lake and points to it; a valid record
 * whose normalized form is over the output topic's limit is a dead letter. Nothing is produced that Kafka would
 * refuse, so no record can stop the stream.
 */
class DeadLetterOverflowTest {

    private static final int DLQ_LIMIT = 4096;
    private static final int OUTPUT_LIMIT = 8192;

    private static PipelineConfig claims() {
        PipelineConfig p = ConfigLoader.load(Path.of("config/claims.yaml"), Map.of()).pipelines().get(0);
        return p.withLimits(new PipelineConfig.Limits(64 * 1024, 32).withTopics(DLQ_LIMIT, OUTPUT_LIMIT, "lake/"));
    }

    @Test
    void shouldKeepTheBytesOfADeadLetterTooLargeForTheDlqTopicInTheLakeAndPointToThem() {
        byte[] value = ("not json " + "x".repeat(DLQ_LIMIT)).getBytes(UTF_8);
        try (StageHarness stage = new StageHarness(claims())) {
            stage.send("k".getBytes(UTF_8), value);

            TestRecord<byte[], byte[]> letter = stage.onlyDeadLetter();
            String object = "lake/_dead_letters/claims/onprem.claims.raw/0/0.value";
            assertThat(letter.value()).isNull();
            assertThat(letter.key()).isEqualTo("k".getBytes(UTF_8));
            assertThat(header(letter, NormalizeStage.HEADER_ERROR_CLASS)).isEqualTo("MALFORMED_JSON");
            assertThat(header(letter, DeadLetterOverflow.PAYLOAD_OBJECT)).isEqualTo(object);
            assertThat(header(letter, DeadLetterOverflow.PAYLOAD_LOCATION)).isEqualTo(stage.store.uri(object));
            assertThat(header(letter, DeadLetterOverflow.PAYLOAD_BYTES)).isEqualTo(Integer.toString(value.length));
            assertThat(header(letter, DeadLetterOverflow.PAYLOAD_REASON)).startsWith("the dead letter would take ")
                    .endsWith("bytes, more than the 4096 the DLQ topic claims.dlq accepts (the smaller of its"
                            + " max.message.bytes and the producer's max.request.size)");
            assertThat(stage.store.read(object)).isEqualTo(value);
            assertThat(stage.store.metadata(object)).hasValueSatisfying(m -> assertThat(m)
                    .containsEntry("lakestream-error-class", "MALFORMED_JSON")
                    .containsEntry("lakestream-source-offset", "0"));

            stage.send("k2", CLAIM);
            assertThat(stage.normalized()).as("the stream goes on").hasSize(1);
        }
    }

    @Test
    void shouldAlsoMoveAKeyTooLargeForTheDlqTopicAndKeepSmallLettersWhole() {
        byte[] key = new byte[DLQ_LIMIT * 2];
        Arrays.fill(key, (byte) 'k');
        try (StageHarness stage = new StageHarness(claims())) {
            stage.send(key, "not json".getBytes(UTF_8));
            stage.send("small".getBytes(UTF_8), "not json".getBytes(UTF_8));

            var letters = stage.dlq.readRecordsToList();
            assertThat(letters).hasSize(2);
            assertThat(letters.get(0).key()).isNull();
            assertThat(header(letters.get(0), DeadLetterOverflow.KEY_OBJECT))
                    .isEqualTo("lake/_dead_letters/claims/onprem.claims.raw/0/0.key");
            assertThat(stage.store.read("lake/_dead_letters/claims/onprem.claims.raw/0/0.key")).isEqualTo(key);
            assertThat(stage.store.read("lake/_dead_letters/claims/onprem.claims.raw/0/0.value"))
                    .isEqualTo("not json".getBytes(UTF_8));
            assertThat(letters.get(1).value()).isEqualTo("not json".getBytes(UTF_8));
            assertThat(letters.get(1).headers().lastHeader(DeadLetterOverflow.PAYLOAD_OBJECT)).isNull();
            assertThat(stage.store.list("lake/_dead_letters/")).hasSize(2);
        }
    }

    @Test
    void shouldDeadLetterAValidRecordTooLargeForTheOutputTopic() {
        String big = CLAIM.replace("\"Ann\"", "\"" + "A".repeat(OUTPUT_LIMIT) + "\"");
        String fits = CLAIM.replace("\"Ann\"", "\"" + "A".repeat(OUTPUT_LIMIT / 2) + "\"");
        try (StageHarness stage = new StageHarness(claims())) {
            stage.send("k", fits);
            stage.send("k", big);

            assertThat(stage.normalized()).hasSize(1);
            TestRecord<byte[], byte[]> letter = stage.dlq.readRecordsToList().get(0);
            assertThat(header(letter, NormalizeStage.HEADER_ERROR_CLASS)).isEqualTo("OUTPUT_TOO_LARGE");
            assertThat(header(letter, NormalizeStage.HEADER_ERROR_MESSAGE)).matches("the normalized record would"
                    + " take \\d+ bytes, more than the 8192 the output topic claims.normalized accepts \\(the smaller"
                    + " of its max.message.bytes and the producer's max.request.size\\)");
            assertThat(stage.store.read("lake/_dead_letters/claims/onprem.claims.raw/0/1.value"))
                    .as("original bytes, too large for the DLQ topic too").isEqualTo(big.getBytes(UTF_8));
        }
    }
}
