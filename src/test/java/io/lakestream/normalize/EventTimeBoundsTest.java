package io.lakestream.normalize;

import static io.lakestream.normalize.NormalizeStageJsonTest.CLAIM;
import static io.lakestream.normalize.StageHarness.header;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.PipelineConfig;
import java.time.Duration;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Event times far from the wall clock (2024-01-31T12:00:00Z in {@link StageHarness}) go to the DLQ as
 * EVENT_TIME_OUT_OF_BOUNDS, naming both times and the setting, instead of reaching the windows.
 */
class EventTimeBoundsTest {

    private static final String CLAIM_TS = "2024-01-31T10:15:30.123+01:00";

    @Test
    void shouldDeadLetterAClaimDated2204WithBothTimesInTheMessage() {
        try (StageHarness stage = new StageHarness("config/claims.yaml")) {
            stage.send("k", CLAIM.replace(CLAIM_TS, "2204-05-01T10:00:00Z"));

            TestRecord<byte[], byte[]> letter = stage.onlyDeadLetter();
            assertThat(header(letter, NormalizeStage.HEADER_ERROR_CLASS)).isEqualTo("EVENT_TIME_OUT_OF_BOUNDS");
            assertThat(header(letter, NormalizeStage.HEADER_ERROR_MESSAGE)).isEqualTo("field claim_ts: event time"
                    + " 2204-05-01T10:00:00Z is more than 1h ahead of the wall clock 2024-01-31T12:00:00Z"
                    + " (event-time.max-future)");
            assertThat(stage.counter("lakestream.dlq.records", "pipeline", "claims", "error_class",
                    "EVENT_TIME_OUT_OF_BOUNDS")).isEqualTo(1.0);
        }
    }

    @Test
    void shouldAcceptEventTimesWithinTheDefaultHourAheadAndAnyPastByDefault() {
        try (StageHarness stage = new StageHarness("config/claims.yaml")) {
            stage.send("k", CLAIM.replace(CLAIM_TS, "2024-01-31T12:59:59Z"));
            stage.send("k", CLAIM.replace(CLAIM_TS, "1970-01-02T00:00:00Z"));
            stage.send("k", CLAIM.replace(CLAIM_TS, "2024-01-31T13:00:00.001Z"));

            assertThat(stage.normalized()).hasSize(2);
            assertThat(stage.dlq.readRecordsToList()).extracting(r -> header(r, NormalizeStage.HEADER_ERROR_CLASS))
                    .containsExactly("EVENT_TIME_OUT_OF_BOUNDS");
        }
    }

    @Test
    void shouldApplyConfiguredMaxFutureAndMaxPast() {
        PipelineConfig pipeline = TestPipelines.types(", max-future: 2d, max-past: 30d", "");
        assertThat(pipeline.eventTime().maxFuture()).isEqualTo(Duration.ofDays(2));
        assertThat(pipeline.eventTime().maxPast()).isEqualTo(Duration.ofDays(30));
        try (StageHarness stage = new StageHarness(pipeline)) {
            stage.send("1", types("1", "2024-02-02T11:00:00Z"));
            stage.send("2", types("2", "2024-01-01T12:00:00Z"));
            stage.send("3", types("3", "2023-12-31T12:00:00Z"));
            stage.send("4", types("4", "2024-02-02T13:00:00Z"));

            assertThat(stage.normalized()).extracting(TestRecord::key).containsExactly("1", "2");
            assertThat(stage.dlq.readRecordsToList()).extracting(r -> header(r, NormalizeStage.HEADER_ERROR_MESSAGE))
                    .containsExactly("field ts: event time 2023-12-31T12:00:00Z is more than 720h behind the wall"
                            + " clock 2024-01-31T12:00:00Z (event-time.max-past)",
                            "field ts: event time 2024-02-02T13:00:00Z is more than 48h ahead of the wall clock"
                                    + " 2024-01-31T12:00:00Z (event-time.max-future)");
        }
    }

    private static String types(String id, String ts) {
        return "{\"id\": \"" + id + "\", \"ts\": \"" + ts + "\"}";
    }
}
