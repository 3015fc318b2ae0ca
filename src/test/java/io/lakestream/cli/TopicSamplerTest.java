package io.lakestream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class TopicSamplerTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);
    private static final TopicPartition P2 = new TopicPartition("t", 2);

    @Test
    void shouldShareTheSampleEvenlyOverPartitionsThatHoldEnough() {
        assertThat(TopicSampler.share(300, Map.of(P0, 1000L, P1, 1000L, P2, 1000L)))
                .containsEntry(P0, 100L).containsEntry(P1, 100L).containsEntry(P2, 100L);
    }

    @Test
    void shouldGiveTheShareOfASmallPartitionToTheOthersSoTheSampleHoldsNRecords() {
        Map<TopicPartition, Long> share = TopicSampler.share(500, Map.of(P0, 625L, P1, 125L, P2, 250L));
        assertThat(share).containsEntry(P1, 125L);
        assertThat(share.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(500);
        assertThat(share.get(P0)).isLessThanOrEqualTo(625L);
    }

    @Test
    void shouldTakeEverythingWhenTheTopicHoldsLessThanTheSample() {
        assertThat(TopicSampler.share(20_000, Map.of(P0, 10L, P1, 0L)))
                .containsEntry(P0, 10L).containsEntry(P1, 0L);
    }
}
