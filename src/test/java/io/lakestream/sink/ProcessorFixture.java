package io.lakestream.sink;

import io.lakestream.record.NormalizeOutcome.Normalized;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/** A windowed processor on its own: a MockProcessorContext with in-memory stores, claims, wall-clock punctuation. */
public final class ProcessorFixture {

    private ProcessorFixture() {
    }

    /** A context at wall-clock {@code nowMillis} holding an empty in-memory byte store per name. */
    public static <K, V> MockProcessorContext<K, V> context(long nowMillis, String... storeNames) {
        MockProcessorContext<K, V> context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(nowMillis);
        for (String name : storeNames) {
            KeyValueStore<Bytes, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
                    Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build();
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
        }
        return context;
    }

    /** A normalized claim of {@link SinkHarness#SCHEMA} from partition 0 of {@code topic}. */
    public static Normalized claim(String topic, String account, long offset, long eventTime) {
        GenericRecord value = new GenericData.Record(SinkHarness.SCHEMA);
        value.put("account_id", account);
        value.put("claim_id", "c" + offset);
        value.put("amount", ByteBuffer.wrap(new byte[] {1}));
        value.put("currency", "EUR");
        value.put("status", new GenericData.EnumSymbol(SinkHarness.SCHEMA.getField("status").schema(), "OPEN"));
        value.put("claim_ts", eventTime);
        return new Normalized(account, value, eventTime, topic, 0, offset, eventTime);
    }

    /** The interval of the one wall-clock punctuation a processor schedules. */
    public static Duration punctuationInterval(MockProcessorContext<?, ?> context) {
        if (context.scheduledPunctuators().size() != 1) {
            throw new AssertionError("expected one punctuator, found " + context.scheduledPunctuators().size());
        }
        return context.scheduledPunctuators().get(0).getInterval();
    }

    /** Moves the wall clock to {@code nowMillis} and runs {@code punctuator} (a clock on its own schedules none). */
    public static void punctuateWith(MockProcessorContext<?, ?> context, long nowMillis,
                                     java.util.function.LongConsumer punctuator) {
        context.setCurrentSystemTimeMs(nowMillis);
        punctuator.accept(nowMillis);
    }

    /** Moves the wall clock to {@code nowMillis} and runs every scheduled punctuator once. */
    public static void punctuate(MockProcessorContext<?, ?> context, long nowMillis) {
        context.setCurrentSystemTimeMs(nowMillis);
        for (CapturedPunctuator p : context.scheduledPunctuators()) {
            p.getPunctuator().punctuate(nowMillis);
        }
    }
}
