package io.lakestream.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LandingEventTest {

    @Test
    void shouldReadAnEventWrittenBeforeEventsCarriedStatisticsAsOneWithout() {
        LandingEvent old = LandingEvent.fromJson("""
                {"table":"claims","partition":{"dt":"2024-03-01"},"objectKey":"k","uri":"s3://b/k","rowCount":2,\
                "sourceTopic":"raw","sourcePartition":0,"firstOffset":0,"lastOffset":1,"windowStart":0,\
                "windowEnd":100000,"late":false}""");

        assertThat(old).isEqualTo(new LandingEvent("claims", Map.of("dt", "2024-03-01"), "k", "s3://b/k", 2, "raw", 0,
                0, 1, 0, 100_000, false));
        assertThat(old.statistics()).isNull();
        assertThat(old.toJson()).doesNotContain("statistics");
    }

    @Test
    void shouldCarryStatisticsThroughJsonAndIgnoreFieldsOfANewerVersion() {
        FileStatistics stats = new FileStatistics(1234, "{\"type\":\"string\"}", Map.of(
                "amount", new FileStatistics.Column(10L, 2L, 0L, null, "AQ==", "Ag=="),
                "tags.element", new FileStatistics.Column(5L, 4L, 1L, null, null, null)));
        LandingEvent event = new LandingEvent("claims", Map.of(), "k", "u", 2, "raw", 0, 0, 1, 0, 1, false, stats);

        assertThat(LandingEvent.fromJson(event.toJson())).isEqualTo(event);
        assertThat(LandingEvent.fromJson(event.toJson().replaceFirst("\\{", "{\"fromTheFuture\":1,"))).isEqualTo(event);
    }
}
