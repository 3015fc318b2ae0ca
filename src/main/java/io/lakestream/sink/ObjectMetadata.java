package io.lakestream.sink;

import java.util.Map;

/**
 * User metadata on every object the sink writes. The offset range is what lets a replayed, rebalanced or zombie
 * flush find out which source offsets an existing object already holds.
 */
public final class ObjectMetadata {
    public static final String FIRST_OFFSET = "lakestream-first-offset";
    public static final String LAST_OFFSET = "lakestream-last-offset";
    public static final String RECORD_COUNT = "lakestream-record-count";
    /** {@code <topic>-<partition>} of the source records. */
    public static final String SOURCE = "lakestream-source";
    /** Event window start, epoch millis. */
    public static final String WINDOW_START = "lakestream-window-start";
    /** Event window end (exclusive), epoch millis. */
    public static final String WINDOW_END = "lakestream-window-end";
    /** {@code true} for a late object. */
    public static final String LATE = "lakestream-late";

    private ObjectMetadata() {
    }

    static String source(String topic, int partition) {
        return topic + "-" + partition;
    }

    static long longValue(Map<String, String> metadata, String name, String key) {
        String value = metadata.get(name);
        if (value == null) {
            throw new io.lakestream.port.ObjectStoreException("object " + key + " has no " + name + " metadata; "
                    + "it was not written by lakestream, so the sink cannot tell which offsets it holds. "
                    + "Move it out of the table prefix.");
        }
        return Long.parseLong(value);
    }
}
