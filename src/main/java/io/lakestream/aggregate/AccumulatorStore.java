package io.lakestream.aggregate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * An aggregation's store with its accumulators held decoded in memory: a record updates the accumulator object
 * and marks it dirty; the encoded bytes reach the store below (cached and changelogged) when Kafka Streams flushes
 * the caches before it commits, when a range is read, or when an entry leaves the bounded map. So an accumulator
 * that many records update within one commit interval is decoded once and encoded once, instead of once per record.
 *
 * <p>Exactly-once holds because Kafka Streams flushes the caches of a task (every {@code CachedStateStore}, which
 * this store is, as the outermost layer registered for the task) before it sends the changelog records and commits
 * the transaction; a task that aborts or dies loses the dirty accumulators together with the transaction that
 * would have carried them, and is restored from the changelog as before. Whatever reads this store as a
 * {@link KeyValueStore} sees the dirty accumulators: {@link #get} encodes one, and a range or full scan writes them
 * back first.
 */
final class AccumulatorStore extends WrappedStateStore<KeyValueStore<Bytes, byte[]>, Bytes, byte[]>
        implements KeyValueStore<Bytes, byte[]> {

    /** Accumulators held decoded; beyond it the least recently used is written back and forgotten. */
    static final int MAX_HELD = 20_000;

    private final Accumulators accumulators;
    private final LinkedHashMap<Bytes, Held> held = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Bytes, Held> eldest) {
            if (size() <= MAX_HELD) {
                return false;
            }
            if (eldest.getValue().dirty) {
                wrapped().put(eldest.getKey(), accumulators.encode(eldest.getValue().accumulator));
            }
            return true;
        }
    };
    private int dirty;

    private static final class Held {
        final GenericRecord accumulator;
        boolean dirty;

        Held(GenericRecord accumulator, boolean dirty) {
            this.accumulator = accumulator;
            this.dirty = dirty;
        }
    }

    AccumulatorStore(KeyValueStore<Bytes, byte[]> inner, Accumulators accumulators) {
        super(inner);
        this.accumulators = accumulators;
    }

    /** Builds the store over {@code inner} (the cached, logged RocksDB store of Kafka Streams). */
    static StoreBuilder<KeyValueStore<Bytes, byte[]>> builder(StoreBuilder<KeyValueStore<Bytes, byte[]>> inner,
                                                              Accumulators accumulators) {
        return new Builder(inner, accumulators);
    }

    /** The accumulator under {@code key}, decoded (and then held), or null when there is none. */
    GenericRecord accumulator(Bytes key) {
        Held h = held.get(key);
        if (h != null) {
            return h.accumulator;
        }
        byte[] bytes = wrapped().get(key);
        if (bytes == null) {
            return null;
        }
        GenericRecord acc = accumulators.decode(bytes);
        held.put(key, new Held(acc, false));
        return acc;
    }

    /** Records that {@code accumulator} (the object {@link #accumulator} returned, or a new one) is current. */
    void update(Bytes key, GenericRecord accumulator) {
        Held h = held.get(key);
        if (h != null && h.accumulator == accumulator) {
            if (!h.dirty) {
                h.dirty = true;
                dirty++;
            }
            return;
        }
        Held previous = held.put(key, new Held(accumulator, true));
        if (previous == null || !previous.dirty) {
            dirty++;
        }
    }

    /** Writes every dirty accumulator to the store below. */
    void writeBack() {
        if (dirty == 0) {
            return;
        }
        List<KeyValue<Bytes, byte[]>> out = new ArrayList<>(dirty);
        for (Map.Entry<Bytes, Held> e : held.entrySet()) {
            if (e.getValue().dirty) {
                out.add(KeyValue.pair(e.getKey(), accumulators.encode(e.getValue().accumulator)));
                e.getValue().dirty = false;
            }
        }
        dirty = 0;
        wrapped().putAll(out);
    }

    private void forget() {
        held.clear();
        dirty = 0;
    }

    private void forget(Bytes key) {
        Held h = held.remove(key);
        if (h != null && h.dirty) {
            dirty--;
        }
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        // A task revived after an abort is restored from its changelog: nothing held survives it.
        forget();
        super.init(context, root);
    }

    @Override
    public void flushCache() {
        writeBack();
        super.flushCache();
    }

    @Override
    public void clearCache() {
        forget();
        super.clearCache();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        writeBack();
        super.commit(changelogOffsets);
    }

    @Override
    public void close() {
        forget();
        super.close();
    }

    @Override
    public void put(Bytes key, byte[] value) {
        forget(key);
        wrapped().put(key, value);
    }

    @Override
    public byte[] putIfAbsent(Bytes key, byte[] value) {
        byte[] current = get(key);
        if (current == null) {
            put(key, value);
        }
        return current;
    }

    @Override
    public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
        for (KeyValue<Bytes, byte[]> e : entries) {
            forget(e.key);
        }
        wrapped().putAll(entries);
    }

    @Override
    public byte[] delete(Bytes key) {
        Held h = held.get(key);
        byte[] current = h != null && h.dirty ? accumulators.encode(h.accumulator) : null;
        forget(key);
        byte[] below = wrapped().delete(key);
        return current != null ? current : below;
    }

    @Override
    public byte[] get(Bytes key) {
        Held h = held.get(key);
        if (h != null && h.dirty) {
            return accumulators.encode(h.accumulator);
        }
        return wrapped().get(key);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        writeBack();
        return wrapped().range(from, to);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
        writeBack();
        return wrapped().reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        writeBack();
        return wrapped().all();
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseAll() {
        writeBack();
        return wrapped().reverseAll();
    }

    @Override
    public long approximateNumEntries() {
        return wrapped().approximateNumEntries();
    }

    /** Held accumulators, dirty or not (for tests). */
    int heldCount() {
        return held.size();
    }

    /** Finds this store behind whatever Kafka Streams wraps around a store handed to a processor. */
    static AccumulatorStore in(KeyValueStore<Bytes, byte[]> store) {
        if (store instanceof AccumulatorStore s) {
            return s;
        }
        if (store instanceof WrappedStateStore<?, ?, ?> w) {
            AccumulatorStore s = w.findInner(AccumulatorStore.class);
            if (s != null) {
                return s;
            }
        }
        throw new IllegalStateException("store " + store.name() + " is not an accumulator store");
    }

    private static final class Builder implements StoreBuilder<KeyValueStore<Bytes, byte[]>> {
        private final StoreBuilder<KeyValueStore<Bytes, byte[]>> inner;
        private final Accumulators accumulators;

        Builder(StoreBuilder<KeyValueStore<Bytes, byte[]>> inner, Accumulators accumulators) {
            this.inner = inner;
            this.accumulators = accumulators;
        }

        @Override
        public StoreBuilder<KeyValueStore<Bytes, byte[]>> withCachingEnabled() {
            inner.withCachingEnabled();
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<Bytes, byte[]>> withCachingDisabled() {
            inner.withCachingDisabled();
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<Bytes, byte[]>> withLoggingEnabled(Map<String, String> config) {
            inner.withLoggingEnabled(config);
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<Bytes, byte[]>> withLoggingDisabled() {
            inner.withLoggingDisabled();
            return this;
        }

        @Override
        public KeyValueStore<Bytes, byte[]> build() {
            return new AccumulatorStore(inner.build(), accumulators);
        }

        @Override
        public Map<String, String> logConfig() {
            return inner.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return inner.loggingEnabled();
        }

        @Override
        public String name() {
            return inner.name();
        }
    }
}
