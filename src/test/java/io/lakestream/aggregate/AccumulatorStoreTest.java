package io.lakestream.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.AggregationConfig;
import io.lakestream.config.AggregationConfig.MeasureConfig;
import io.lakestream.config.AggregationConfig.MeasureFn;
import io.lakestream.config.AggregationConfig.WindowConfig;
import io.lakestream.config.FileFormat;
import io.lakestream.sink.ProcessorFixture;
import io.lakestream.sink.SinkHarness;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The accumulators held decoded: what the store below holds, and when. */
class AccumulatorStoreTest {

    private final Accumulators accumulators = new Accumulators(SinkHarness.SCHEMA, new AggregationConfig("by_account",
            List.of("account_id"), new WindowConfig(Duration.ofSeconds(100), Duration.ofSeconds(100),
            Duration.ofSeconds(30), Duration.ofSeconds(60)),
            List.of(new MeasureConfig("claim_count", MeasureFn.COUNT, null)), "t", "t", FileFormat.PARQUET));
    private KeyValueStore<Bytes, byte[]> below;
    private AccumulatorStore store;

    @BeforeEach
    void open() {
        MockProcessorContext<String, GenericRecord> context = ProcessorFixture.context(0);
        below = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("acc"), Serdes.Bytes(),
                Serdes.ByteArray()).withLoggingDisabled().build();
        store = new AccumulatorStore(below, accumulators);
        store.init(context.getStateStoreContext(), store);
    }

    private static Bytes key(int i) {
        return Bytes.wrap(("k" + i).getBytes(StandardCharsets.UTF_8));
    }

    /** Adds one claim of account {@code i} to its accumulator, as the aggregation does. */
    private void count(int i) {
        GenericRecord acc = store.accumulator(key(i));
        if (acc == null) {
            acc = accumulators.empty(ProcessorFixture.claim("raw", "a" + i, 0, 0).value());
        }
        accumulators.add(acc, ProcessorFixture.claim("raw", "a" + i, 0, 0).value());
        store.update(key(i), acc);
    }

    private long countBelow(int i) {
        byte[] bytes = below.get(key(i));
        return bytes == null ? 0 : (Long) accumulators.decode(bytes).get("claim_count");
    }

    @Test
    void shouldWriteDirtyAccumulatorsBelowOnlyWhenCachesAreFlushed() {
        count(1);
        count(1);
        count(1);
        assertThat(countBelow(1)).as("held, not yet written").isZero();
        assertThat((Long) accumulators.decode(store.get(key(1))).get("claim_count"))
                .as("a reader of the store sees it all the same").isEqualTo(3);

        store.flushCache();
        assertThat(countBelow(1)).isEqualTo(3);
        count(1);
        store.commit(Map.of());
        assertThat(countBelow(1)).isEqualTo(4);
    }

    @Test
    void shouldWriteBackBeforeARangeIsRead() {
        count(1);
        count(2);
        List<KeyValue<Bytes, byte[]>> read = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.range(key(0), key(9))) {
            it.forEachRemaining(read::add);
        }
        assertThat(read).extracting(kv -> kv.key).containsExactly(key(1), key(2));
    }

    @Test
    void shouldForgetWhatAnAbortedTransactionWouldHaveCarried() {
        count(1);
        store.flushCache();
        count(1);
        store.clearCache();
        assertThat(store.heldCount()).isZero();
        assertThat((Long) store.accumulator(key(1)).get("claim_count")).as("as committed").isEqualTo(1);
    }

    @Test
    void shouldWriteBackTheLeastRecentlyUsedWhenTooManyAreHeld() {
        for (int i = 0; i <= AccumulatorStore.MAX_HELD; i++) {
            count(i);
        }
        assertThat(store.heldCount()).isEqualTo(AccumulatorStore.MAX_HELD);
        assertThat(countBelow(0)).as("the eldest, written back as it left").isEqualTo(1);
        assertThat(countBelow(1)).isZero();
        count(0);
        assertThat((Long) store.accumulator(key(0)).get("claim_count")).isEqualTo(2);
    }

    @Test
    void shouldLetAPutOrDeleteReplaceAHeldAccumulator() {
        count(1);
        store.delete(key(1));
        store.flushCache();
        assertThat(below.get(key(1))).isNull();
        count(3);
        store.flushCache();
        byte[] one = below.get(key(3));
        count(2);
        count(2);
        store.put(key(2), one);
        store.flushCache();
        assertThat(countBelow(2)).as("the put wins over the held one").isEqualTo(1);
    }
}
