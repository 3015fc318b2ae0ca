package io.lakestream.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.window.DrainSignal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class InputWatchTest {

    private final DrainSignal signal = new DrainSignal();
    private final AtomicLong clock = new AtomicLong(1_000);
    private final List<Set<String>> asked = new ArrayList<>();
    private Map<TopicPartition, Long> lag = Map.of();
    private boolean running = true;

    private InputWatch watch() {
        return new InputWatch(signal, topics -> {
            asked.add(topics);
            return lag;
        }, Set.of("raw", "app-normalized"), () -> running, clock::get, "test");
    }

    @Test
    void shouldCheckOnlyWhenAProcessorAsks() throws Exception {
        assertThat(watch().checkOnce()).isFalse();
        assertThat(asked).isEmpty();
        assertThat(signal.inputConsumedAt()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void shouldRecordWhenTheCheckBeganThatFoundEveryInputConsumed() throws Exception {
        InputWatch watch = watch();
        signal.wantInputCheck();
        assertThat(watch.checkOnce()).isTrue();
        assertThat(asked).containsExactly(Set.of("raw", "app-normalized"));
        assertThat(signal.inputConsumedAt()).isEqualTo(1_000);
        assertThat(watch.checkOnce()).as("the request was taken").isFalse();
    }

    @Test
    void shouldRecordNothingWhileAnyPartitionLags() throws Exception {
        lag = Map.of(new TopicPartition("raw", 2), 40L);
        signal.wantInputCheck();
        assertThat(watch().checkOnce()).isTrue();
        assertThat(signal.inputConsumedAt()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void shouldNotCheckWhileTheApplicationIsNotRunning() throws Exception {
        running = false;
        signal.wantInputCheck();
        assertThat(watch().checkOnce()).isFalse();
        assertThat(asked).isEmpty();
    }

    @Test
    void shouldNeverMoveTheConsumedTimeBack() {
        signal.inputConsumed(5_000);
        signal.inputConsumed(4_000);
        assertThat(signal.inputConsumedAt()).isEqualTo(5_000);
    }
}
