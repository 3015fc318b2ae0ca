package io.lakestream.normalize;

import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The header every normalized record carries: its event time and the raw record's coordinates (source topic as its
 * index in the pipeline's topic list, partition, offset), 22 bytes. An aggregation grouped by the record key reads
 * the normalized topic directly and needs them: event time for its windows, the raw partition for its per-source
 * watermarks, the coordinates to name a late record.
 */
public final class SourceHeader {

    public static final String NAME = "lakestream.source";
    private static final int SIZE = 8 + 2 + 4 + 8;

    /** What the header says; {@code topic} resolved against the pipeline's source topics. */
    public record Source(long eventTime, String topic, int partition, long offset) {
    }

    private SourceHeader() {
    }

    static byte[] encode(long eventTime, int topicIndex, int partition, long offset) {
        return ByteBuffer.allocate(SIZE).putLong(eventTime).putShort((short) topicIndex).putInt(partition)
                .putLong(offset).array();
    }

    /**
     * @param topics the pipeline's source topics
     * @throws IllegalStateException when the record has no such header (it was not written by lakestream)
     */
    public static Source read(Headers headers, List<String> topics) {
        Header h = headers.lastHeader(NAME);
        if (h == null || h.value() == null || h.value().length != SIZE) {
            throw new IllegalStateException("normalized record without a " + NAME + " header");
        }
        ByteBuffer b = ByteBuffer.wrap(h.value());
        long eventTime = b.getLong();
        int topic = b.getShort();
        return new Source(eventTime, topics.get(topic), b.getInt(), b.getLong());
    }
}
