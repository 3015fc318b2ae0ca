package io.lakestream.sink;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;

/**
 * Layout of a sink's buffer store. Records are buffered in chunks: one store entry holds up to
 * {@value #CHUNK_MAX_ENTRIES} consecutive records of one source partition and flush window, so the store, its cache
 * and its changelog handle one write per chunk, not per record. A chunk's key is (flush window start, source topic,
 * source partition, offset of its first record); keys sort in that order, so a range scan from the start yields the
 * oldest window first and, within it, each source partition's records in offset order. Two metadata keys, sorting
 * before all data, hold the task's watermark and closed-up-to mark.
 *
 * <p>A chunk value is a version byte ({@value #CHUNK_VERSION}) followed by its entries, each
 * {@code offset, event time, Kafka timestamp, late flag, event window start, wire length, wire bytes}. A value
 * written before chunks (one record per key, the offset in the key) starts with the high byte of an event time,
 * which is never {@value #CHUNK_VERSION} for a time before the year 2 million, and is still read.
 *
 * <p>Numbers are big-endian with the sign bit flipped, so that unsigned byte order equals numeric order; topic names
 * cannot contain NUL, which ends the topic so that "a" sorts before "a.b".
 */
final class BufferCodec {

    static final Bytes WATERMARK_KEY = Bytes.wrap(new byte[]{0, 'W'});
    static final Bytes CLOSED_UP_TO_KEY = Bytes.wrap(new byte[]{0, 'C'});
    static final Bytes DATA_FROM = Bytes.wrap(new byte[]{1});
    static final Bytes DATA_TO = Bytes.wrap(new byte[]{2});
    /** Value of a record written before chunks: event time, Kafka timestamp, late flag, event window start. */
    private static final int VALUE_HEADER = 8 + 8 + 1 + 8;
    static final byte CHUNK_VERSION = 1;
    /** Entries per chunk: bounds what one put copies (a chunk value is rewritten as it grows). */
    static final int CHUNK_MAX_ENTRIES = 64;
    /** Bytes per chunk, likewise: large records make short chunks. */
    static final int CHUNK_MAX_BYTES = 16 * 1024;
    private static final int ENTRY_HEADER = 8 + 8 + 8 + 1 + 8 + 4;

    /** One buffered record: its coordinates, times, and the record in registry wire format. */
    record Entry(long flushWindowStart, String topic, int partition, long offset, long eventTime, long kafkaTimestamp,
                 boolean late, long eventWindowStart, byte[] wire) {
    }

    private BufferCodec() {
    }

    static Bytes key(long flushWindowStart, String topic, int partition, long offset) {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + t.length + 1 + 4 + 8);
        b.put((byte) 1).putLong(flushWindowStart ^ Long.MIN_VALUE).put(t).put((byte) 0)
                .putInt(partition ^ Integer.MIN_VALUE).putLong(offset ^ Long.MIN_VALUE);
        return Bytes.wrap(b.array());
    }

    /** The smallest key of flush window {@code start}: every data key of that window sorts after it. */
    static Bytes windowFrom(long start) {
        return Bytes.wrap(ByteBuffer.allocate(1 + 8).put((byte) 1).putLong(start ^ Long.MIN_VALUE).array());
    }

    /**
     * The chunk being filled for one (flush window, source partition): entries are appended in offset order and the
     * whole value is put again after each append, so that the store always holds every record processed.
     */
    static final class Chunk {
        private final Bytes key;
        private byte[] bytes = new byte[256];
        private int length = 1;
        private int entries;

        Chunk(Bytes key) {
            this.key = key;
            bytes[0] = CHUNK_VERSION;
        }

        Bytes key() {
            return key;
        }

        void append(Entry e) {
            int needed = length + ENTRY_HEADER + e.wire().length;
            if (needed > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length * 2));
            }
            ByteBuffer.wrap(bytes, length, needed - length).putLong(e.offset()).putLong(e.eventTime())
                    .putLong(e.kafkaTimestamp()).put((byte) (e.late() ? 1 : 0)).putLong(e.eventWindowStart())
                    .putInt(e.wire().length).put(e.wire());
            length = needed;
            entries++;
        }

        /** A copy of the value so far: the store keeps the array it is given. */
        byte[] value() {
            return Arrays.copyOf(bytes, length);
        }

        boolean full() {
            return entries >= CHUNK_MAX_ENTRIES || length >= CHUNK_MAX_BYTES;
        }
    }

    /** The entries of one buffered chunk (or of one record written before chunks), in offset order. */
    static List<Entry> decode(Bytes key, byte[] value) {
        ByteBuffer k = ByteBuffer.wrap(key.get());
        k.get();
        long flushStart = k.getLong() ^ Long.MIN_VALUE;
        int topicStart = k.position();
        int topicEnd = topicStart;
        while (key.get()[topicEnd] != 0) {
            topicEnd++;
        }
        String topic = new String(key.get(), topicStart, topicEnd - topicStart, StandardCharsets.UTF_8);
        k.position(topicEnd + 1);
        int partition = k.getInt() ^ Integer.MIN_VALUE;
        long keyOffset = k.getLong() ^ Long.MIN_VALUE;
        ByteBuffer v = ByteBuffer.wrap(value);
        if (value[0] != CHUNK_VERSION) {
            return List.of(new Entry(flushStart, topic, partition, keyOffset, v.getLong(), v.getLong(), v.get() == 1,
                    v.getLong(), Arrays.copyOfRange(value, VALUE_HEADER, value.length)));
        }
        v.get();
        List<Entry> entries = new ArrayList<>();
        while (v.hasRemaining()) {
            long offset = v.getLong();
            long eventTime = v.getLong();
            long kafkaTimestamp = v.getLong();
            boolean late = v.get() == 1;
            long eventWindowStart = v.getLong();
            byte[] wire = new byte[v.getInt()];
            v.get(wire);
            entries.add(new Entry(flushStart, topic, partition, offset, eventTime, kafkaTimestamp, late,
                    eventWindowStart, wire));
        }
        return entries;
    }

    /** The flush window start of a data key, without decoding the rest. */
    static long flushWindowStart(Bytes key) {
        return ByteBuffer.wrap(key.get(), 1, 8).getLong() ^ Long.MIN_VALUE;
    }

    static byte[] encodeLong(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    static long decodeLong(byte[] v, long absent) {
        return v == null ? absent : ByteBuffer.wrap(v).getLong();
    }
}
