package io.lakestream.sink;

import io.lakestream.window.SourceWatermarks;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * What a sink task keeps in its changelogged store: offsets, not records. The records of open windows live in
 * memory ({@link WindowBuffer}) and the input topic is their buffer; after a restart the task re-reads them
 * ({@link io.lakestream.window.InputReplay}) and this state says which of them belong to which open window.
 *
 * <ul>
 *   <li>per open (flush window, input partition): the offset of the first record the window took from it, written
 *       once when the window opens there;</li>
 *   <li>the closure log: each advance of the closed-up-to mark with, per input partition, the offset the task had
 *       reached (the next offset to process). A record's flush window depends on the mark in force when it was
 *       processed (a late record goes to the earliest open window of that moment), so replay looks the mark up
 *       by offset. Entries older than the first record of every open window are pruned.</li>
 * </ul>
 *
 * <p>Keys: {@code 0x00 'T' <mark>} for the log (sorting before {@link SourceWatermarks}' {@code 0x00 'U'} keys;
 * the watermark and the mark itself are the {@link io.lakestream.window.EventTimeClock}'s),
 * {@code 0x01 <window start> <topic> 0x00 <partition>} for open windows. Numbers are big-endian with the sign bit
 * flipped so that byte order is numeric order.
 */
final class LandingState {

    private static final Bytes LOG_FROM = Bytes.wrap(new byte[] {0, 'T'});
    private static final Bytes LOG_TO = Bytes.wrap(new byte[] {0, 'U'});
    private static final Bytes DATA_FROM = Bytes.wrap(new byte[] {1});
    private static final Bytes DATA_TO = Bytes.wrap(new byte[] {2});

    /** One advance of the closed-up-to mark, from {@code previous} to {@code mark}, after {@code positions}. */
    record Closure(long previous, long mark, Map<TopicPartition, Long> positions) {
    }

    private final KeyValueStore<Bytes, byte[]> store;
    private final TreeMap<Long, Map<TopicPartition, Long>> open = new TreeMap<>();
    private final TreeMap<Long, Closure> closures = new TreeMap<>();

    LandingState(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
        try (KeyValueIterator<Bytes, byte[]> it = store.range(DATA_FROM, DATA_TO)) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                if (kv.value.length != 8) {
                    throw new IllegalStateException("store " + store.name() + " holds buffered records, written by "
                            + "a lakestream release before 0.2 (which kept open windows in the store); land them "
                            + "with that release first (run --until-caught-up), or start under a new application.id");
                }
                ByteBuffer k = ByteBuffer.wrap(kv.key.get());
                k.get();
                long window = k.getLong() ^ Long.MIN_VALUE;
                byte[] key = kv.key.get();
                int end = key.length - 4;
                String topic = new String(key, 9, end - 1 - 9, StandardCharsets.UTF_8);
                int partition = ByteBuffer.wrap(key, end, 4).getInt() ^ Integer.MIN_VALUE;
                open.computeIfAbsent(window, w -> new HashMap<>())
                        .put(new TopicPartition(topic, partition), ByteBuffer.wrap(kv.value).getLong());
            }
        }
        try (KeyValueIterator<Bytes, byte[]> it = store.range(LOG_FROM, LOG_TO)) {
            while (it.hasNext()) {
                Closure c = decodeClosure(it.next().value);
                closures.put(c.mark(), c);
            }
        }
    }

    /** Starts of the open windows, oldest first. */
    NavigableSet<Long> windows() {
        return open.navigableKeySet();
    }

    /** The offset of the first record window {@code start} took from {@code source}, or null. */
    Long firstOffset(long start, TopicPartition source) {
        Map<TopicPartition, Long> sources = open.get(start);
        return sources == null ? null : sources.get(source);
    }

    /** Notes that window {@code start} took its first record from {@code source} at {@code offset}. */
    void opened(long start, TopicPartition source, long offset) {
        open.computeIfAbsent(start, w -> new HashMap<>()).put(source, offset);
        store.put(windowKey(start, source), ByteBuffer.allocate(8).putLong(offset).array());
    }

    /** Forgets a landed window, and the closures no replay can need any more. */
    void landed(long start) {
        Map<TopicPartition, Long> sources = open.remove(start);
        if (sources != null) {
            sources.keySet().forEach(source -> store.delete(windowKey(start, source)));
        }
        prune();
    }

    /** Logs an advance of the closed-up-to mark made after the task reached {@code positions}. */
    void closed(long previous, long mark, Map<TopicPartition, Long> positions) {
        Closure c = new Closure(previous, mark, Map.copyOf(positions));
        closures.put(mark, c);
        store.put(closureKey(mark), encodeClosure(c));
    }

    /** Per input partition with open windows, the offset of the first record any of them took from it. */
    Map<TopicPartition, Long> replayFrom() {
        Map<TopicPartition, Long> from = new LinkedHashMap<>();
        open.values().forEach(sources -> sources.forEach((tp, offset) -> from.merge(tp, offset, Math::min)));
        return from;
    }

    /**
     * The closed-up-to mark in force when the record at {@code offset} of {@code source} was processed: that of the
     * latest closure made before the task reached it. A partition a closure has no position for had sent nothing
     * since the task started, so every record of it came after that closure.
     */
    long markAt(TopicPartition source, long offset, long current) {
        long mark = closures.isEmpty() ? current : closures.firstEntry().getValue().previous();
        for (Closure c : closures.values()) {
            if (c.positions().getOrDefault(source, 0L) <= offset) {
                mark = c.mark();
            }
        }
        return mark;
    }

    /** Drops every closure older than the latest one made before the first record of every open window. */
    private void prune() {
        Map<TopicPartition, Long> from = replayFrom();
        Long keepFrom = null;
        for (Closure c : closures.values()) {
            boolean beforeAll = from.entrySet().stream()
                    .allMatch(e -> c.positions().getOrDefault(e.getKey(), 0L) <= e.getValue());
            if (beforeAll) {
                keepFrom = c.mark();
            }
        }
        if (keepFrom == null) {
            return;
        }
        for (Iterator<Long> it = closures.headMap(keepFrom, false).keySet().iterator(); it.hasNext(); ) {
            store.delete(closureKey(it.next()));
            it.remove();
        }
    }

    private static Bytes windowKey(long start, TopicPartition source) {
        byte[] t = source.topic().getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(1 + 8 + t.length + 1 + 4).put((byte) 1).putLong(start ^ Long.MIN_VALUE)
                .put(t).put((byte) 0).putInt(source.partition() ^ Integer.MIN_VALUE).array());
    }

    private static Bytes closureKey(long mark) {
        return Bytes.wrap(ByteBuffer.allocate(2 + 8).put((byte) 0).put((byte) 'T').putLong(mark ^ Long.MIN_VALUE)
                .array());
    }

    private static byte[] encodeClosure(Closure c) {
        int size = 8 + 8 + 4;
        for (TopicPartition tp : c.positions().keySet()) {
            size += 2 + tp.topic().getBytes(StandardCharsets.UTF_8).length + 4 + 8;
        }
        ByteBuffer b = ByteBuffer.allocate(size).putLong(c.previous()).putLong(c.mark()).putInt(c.positions().size());
        c.positions().forEach((tp, position) -> {
            byte[] t = tp.topic().getBytes(StandardCharsets.UTF_8);
            b.putShort((short) t.length).put(t).putInt(tp.partition()).putLong(position);
        });
        return b.array();
    }

    private static Closure decodeClosure(byte[] value) {
        ByteBuffer b = ByteBuffer.wrap(value);
        long previous = b.getLong();
        long mark = b.getLong();
        int n = b.getInt();
        Map<TopicPartition, Long> positions = new HashMap<>();
        for (int i = 0; i < n; i++) {
            byte[] t = new byte[b.getShort()];
            b.get(t);
            positions.put(new TopicPartition(new String(t, StandardCharsets.UTF_8), b.getInt()), b.getLong());
        }
        return new Closure(previous, mark, positions);
    }
}
