package io.lakestream.sink;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Layout of a sink's buffer store. Data keys sort by (flush window start, source topic, source partition, offset),
 * so a range scan from the start yields the oldest window first and, within it, each source partition's records in
 * offset order. Two metadata keys, sorting before all data, hold the task's watermark and closed-up-to mark.
 *
 * <p>Numbers are big-endian with the sign bit flipped, so that unsigned byte order equals numeric order; topic names
 * cannot contain NUL, which ends the topic so that "a" sorts before "a.b".
 */
final class BufferCodec {

    static final Bytes WATERMARK_KEY = Bytes.wrap(new byte[]{0, 'W'});
    static final Bytes CLOSED_UP_TO_KEY = Bytes.wrap(new byte[]{0, 'C'});
    static final Bytes DATA_FROM = Bytes.wrap(new byte[]{1});
    static final Bytes DATA_TO = Bytes.wrap(new byte[]{2});
    private static final int VALUE_HEADER = 8 + 8 + 1 + 8;

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

    static byte[] value(Entry e) {
        return ByteBuffer.allocate(VALUE_HEADER + e.wire().length)
                .putLong(e.eventTime()).putLong(e.kafkaTimestamp()).put((byte) (e.late() ? 1 : 0))
                .putLong(e.eventWindowStart()).put(e.wire()).array();
    }

    static Entry decode(Bytes key, byte[] value) {
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
        long offset = k.getLong() ^ Long.MIN_VALUE;
        ByteBuffer v = ByteBuffer.wrap(value);
        long eventTime = v.getLong();
        long kafkaTimestamp = v.getLong();
        boolean late = v.get() == 1;
        long eventWindowStart = v.getLong();
        byte[] wire = new byte[v.remaining()];
        v.get(wire);
        return new Entry(flushStart, topic, partition, offset, eventTime, kafkaTimestamp, late, eventWindowStart,
                wire);
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
