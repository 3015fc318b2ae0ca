package io.lakestream.window;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The event-time watermark of a task that reads several source partitions (a multi-topic pipeline's task, or an
 * aggregation's task behind a repartition topic): the SMALLEST of the per-source watermarks, each the largest event
 * time seen from that source. One source running ahead (a backfill, a slower upstream task) then does not make the
 * others' on-time records late. A source that has sent nothing for {@code idleTimeout} of wall-clock time stops
 * holding the watermark back; the expected sources hold it back from the start, before their first record, until
 * the task has consumed its input ({@link #forgetUnheard()}).
 *
 * <p>Per-source watermarks are kept in the task's changelogged store under keys {@code 0x00 'U' <source>}, which
 * sort before the data keys of both the sink buffer and the aggregate store.
 */
public final class SourceWatermarks {

    private static final Bytes FROM = Bytes.wrap(new byte[]{0, 'U'});
    private static final Bytes TO = Bytes.wrap(new byte[]{0, 'V'});

    private final KeyValueStore<Bytes, byte[]> store;
    private final long idleTimeout;
    private final Map<String, Long> watermarks = new HashMap<>();
    private final Map<String, Long> lastSeen = new HashMap<>();
    /** Expected sources with no record yet, neither now nor in the store. */
    private final java.util.Set<String> unheard = new java.util.HashSet<>();
    /** Sources whose watermark moved since it was last written to the store. */
    private final java.util.Set<String> unsaved = new java.util.HashSet<>();

    public SourceWatermarks(KeyValueStore<Bytes, byte[]> store, Collection<String> expected, long idleTimeout,
                            long now) {
        this.store = store;
        this.idleTimeout = idleTimeout;
        for (String source : expected) {
            watermarks.put(source, Long.MIN_VALUE);
            lastSeen.put(source, now);
            unheard.add(source);
        }
        try (KeyValueIterator<Bytes, byte[]> it = store.range(FROM, TO)) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                String source = new String(kv.key.get(), 2, kv.key.get().length - 2, StandardCharsets.UTF_8);
                watermarks.put(source, ByteBuffer.wrap(kv.value).getLong());
                lastSeen.put(source, now);
                unheard.remove(source);
            }
        }
    }

    /**
     * Notes a record of {@code source} and returns the watermark: the smallest per-source watermark among the
     * sources heard from within the idle timeout, or {@code Long.MIN_VALUE} while one of them has sent nothing.
     */
    public long observe(String source, long eventTime, long now) {
        lastSeen.put(source, now);
        unheard.remove(source);
        Long previous = watermarks.get(source);
        if (previous == null || eventTime > previous) {
            watermarks.put(source, eventTime);
            unsaved.add(source);
        }
        return watermark(now);
    }

    /**
     * Writes the per-source watermarks that moved since the last call to the store. Called when the task closes a
     * window and from its punctuation, not per record: a restarted task that resumes a slightly older watermark
     * only closes its next window a few records later (which windows are closed is the clock's mark, always saved).
     */
    public void save() {
        for (String source : unsaved) {
            byte[] s = source.getBytes(StandardCharsets.UTF_8);
            store.put(Bytes.wrap(ByteBuffer.allocate(2 + s.length).put((byte) 0).put((byte) 'U').put(s).array()),
                    ByteBuffer.allocate(8).putLong(watermarks.get(source)).array());
        }
        unsaved.clear();
    }

    /** The watermark at {@code now}, as {@link #observe} computes it, without a new record. */
    public long watermark(long now) {
        long min = Long.MAX_VALUE;
        for (Map.Entry<String, Long> e : watermarks.entrySet()) {
            if (now - lastSeen.get(e.getKey()) < idleTimeout) {
                min = Math.min(min, e.getValue());
            }
        }
        return min == Long.MAX_VALUE ? Long.MIN_VALUE : min;
    }

    /** Whether the task has heard from a source and still expects others that have sent nothing. */
    public boolean waitsForUnheard() {
        return !unheard.isEmpty() && unheard.size() < watermarks.size();
    }

    /**
     * Stops expecting the sources that have never sent a record. A task calls it once it has consumed all its input
     * for a moment: a source that would feed it has shown its first record by then. (An aggregation reading the
     * normalized topic is fed only by the raw partitions whose keys hash to its partition: when the raw topic is keyed
     * like the normalized one, by exactly one.) Returns whether any was dropped.
     */
    public boolean forgetUnheard() {
        // Before the first record the input may simply not have arrived yet (a backfill's first commit).
        if (!waitsForUnheard()) {
            return false;
        }
        unheard.forEach(source -> {
            watermarks.remove(source);
            lastSeen.remove(source);
            unsaved.remove(source);
        });
        unheard.clear();
        return true;
    }
}
