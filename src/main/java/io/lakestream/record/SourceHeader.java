package io.lakestream.record;

import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The header every normalized record carries: its event time, the raw record's coordinates (source topic as its
 * index in the pipeline's topic list, partition, offset) and the {@link Owner} fingerprint of the application that
 * wrote it, 30 bytes. An aggregation grouped by the record key reads the normalized topic directly and needs them:
 * event time for its windows, the raw partition for its per-source watermarks, the coordinates to name a late
 * record, the owner to skip what another application wrote. A 22-byte header (written before the owner was added,
 * by this application upgraded in place) has no owner and is read as the reader's own.
 */
public final class SourceHeader {

    public static final String NAME = "lakestream.source";
    private static final int LEGACY_SIZE = 8 + 2 + 4 + 8;
    private static final int SIZE = LEGACY_SIZE + Owner.SIZE;

    /**
     * What the header says; {@code topic} resolved against the pipeline's source topics.
     *
     * @param owner the writer's {@link Owner} fingerprint, null in a header written before it was added
     */
    public record Source(long eventTime, String topic, int partition, long offset, byte[] owner) {

        /** True when another application than the one of fingerprint {@code reader} wrote the record. */
        public boolean foreign(byte[] reader) {
            return owner != null && !java.util.Arrays.equals(owner, reader);
        }
    }

    private SourceHeader() {
    }

    public static byte[] encode(long eventTime, int topicIndex, int partition, long offset, byte[] owner) {
        return ByteBuffer.allocate(SIZE).putLong(eventTime).putShort((short) topicIndex).putInt(partition)
                .putLong(offset).put(owner).array();
    }

    /**
     * @param topics the pipeline's source topics
     * @throws IllegalStateException when the record has no such header (it was not written by lakestream)
     */
    public static Source read(Headers headers, List<String> topics) {
        Header h = headers.lastHeader(NAME);
        if (h == null || h.value() == null || (h.value().length != SIZE && h.value().length != LEGACY_SIZE)) {
            throw new IllegalStateException("normalized record without a " + NAME + " header");
        }
        ByteBuffer b = ByteBuffer.wrap(h.value());
        long eventTime = b.getLong();
        int topic = b.getShort();
        int partition = b.getInt();
        long offset = b.getLong();
        byte[] owner = null;
        if (b.hasRemaining()) {
            owner = new byte[Owner.SIZE];
            b.get(owner);
        }
        return new Source(eventTime, topics.get(topic), partition, offset, owner);
    }
}
