package io.lakestream.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SourceWatermarksTest {

    private static final long IDLE = 60_000;
    private KeyValueStore<Bytes, byte[]> store;

    @BeforeEach
    void store() {
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("buffer"), Serdes.Bytes(),
                Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    }

    @Test
    void shouldFollowTheSlowestSourceAndWaitForAnExpectedSourceThatHasNotSentYet() {
        SourceWatermarks w = new SourceWatermarks(store, List.of("a-0", "b-0"), IDLE, 0);

        assertThat(w.observe("a-0", 10_000, 1)).as("b-0 not heard from yet").isEqualTo(Long.MIN_VALUE);
        assertThat(w.observe("b-0", 5_000, 2)).isEqualTo(5_000);
        assertThat(w.observe("a-0", 50_000, 3)).as("a-0 running ahead does not move it").isEqualTo(5_000);
        assertThat(w.observe("b-0", 30_000, 4)).isEqualTo(30_000);
        assertThat(w.observe("b-0", 20_000, 5)).as("an older record of b-0 does not move it back").isEqualTo(30_000);
    }

    @Test
    void shouldStopExpectingSourcesThatNeverSentOnceTheTaskConsumedItsInput() {
        SourceWatermarks w = new SourceWatermarks(store, List.of("a-0", "a-1", "a-2"), IDLE, 0);

        assertThat(w.forgetUnheard()).as("nothing heard yet: the input may not have arrived").isFalse();
        assertThat(w.observe("a-1", 10_000, 1)).isEqualTo(Long.MIN_VALUE);
        assertThat(w.forgetUnheard()).isTrue();
        assertThat(w.observe("a-1", 20_000, 2)).as("a-0 and a-2 feed other tasks").isEqualTo(20_000);
        assertThat(w.forgetUnheard()).isFalse();
    }

    @Test
    void shouldStopWaitingForASourceSilentForTheIdleTimeout() {
        SourceWatermarks w = new SourceWatermarks(store, List.of("a-0", "b-0"), IDLE, 0);
        w.observe("b-0", 5_000, 0);

        assertThat(w.observe("a-0", 90_000, IDLE - 1)).isEqualTo(5_000);
        assertThat(w.observe("a-0", 95_000, IDLE + 1)).as("b-0 silent for the idle timeout").isEqualTo(95_000);
    }

    @Test
    void shouldResumeFromTheWatermarksKeptInTheStore() {
        SourceWatermarks before = new SourceWatermarks(store, List.of("a-0", "b-0"), IDLE, 0);
        before.observe("a-0", 40_000, 1);
        before.observe("b-0", 30_000, 2);
        before.save();
        before.observe("b-0", 35_000, 3); // not saved: a restarted task resumes from what was

        SourceWatermarks after = new SourceWatermarks(store, List.of("a-0", "b-0"), IDLE, 1_000_000);

        assertThat(after.observe("a-0", 45_000, 1_000_001)).isEqualTo(30_000);
    }
}
