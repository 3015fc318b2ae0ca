package io.lakestream.iceberg;

import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * What a table's committer has committed, kept where maintenance and other writers leave it: in table properties,
 * which every commit (ours, a compaction, Spark's, Athena's OPTIMIZE, a Glue optimizer) carries over to the next
 * metadata file unless it removes them by name, and which no snapshot expiry touches. Snapshot summaries, the other
 * candidate, disappear with their snapshot, and the newest snapshot is often not ours; a branch or tag of our own
 * would pin our snapshots and so the files that compaction replaced. The properties are set in the same transaction
 * as the append they describe, so they never run ahead of or behind the table's data.
 *
 * <ul>
 *   <li>{@code lakestream.landings-offsets.<landings topic>}: the highest landings offset covered, per landings
 *   partition ({@code partition:offset,...}). Keyed by the topic, so a redeployment under a new application id
 *   (a new landings topic whose offsets start again at 0) starts afresh.</li>
 *   <li>{@code lakestream.closed-windows}: per source topic-partition the end of the newest window landed
 *   ({@code topic-partition:endMillis,...}); a window lands when it closes, so every window of that source ending
 *   before it is closed: the event-time clock by which maintenance judges a partition closed.</li>
 *   <li>{@code lakestream.window-length-ms}: the longest window landed.</li>
 * </ul>
 */
final class CommittedState {

    static final String OFFSETS_PREFIX = "lakestream.landings-offsets.";
    static final String CLOSED_WINDOWS = "lakestream.closed-windows";
    /** The longest window landed (millis): how far past a partition's end a window that starts in it can reach. */
    static final String WINDOW_LENGTH = "lakestream.window-length-ms";

    private CommittedState() {
    }

    static String offsetsKey(String landingsTopic) {
        return OFFSETS_PREFIX + landingsTopic;
    }

    /**
     * The landings offsets the table covers: from its property, or (tables committed before the property existed)
     * from the newest snapshot summary that records them.
     */
    static Map<Integer, Long> offsets(Table table, String landingsTopic) {
        String value = table.properties().get(offsetsKey(landingsTopic));
        if (value != null) {
            return parse(value, Integer::parseInt);
        }
        for (Snapshot s = table.currentSnapshot(); s != null;
             s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
            String summary = s.summary().get(IcebergCommitter.LANDINGS_OFFSETS);
            if (summary != null) {
                return parse(summary, Integer::parseInt);
            }
        }
        return new TreeMap<>();
    }

    /** The end of the newest window landed per source topic-partition. */
    static Map<String, Long> closedWindows(Table table) {
        String value = table.properties().get(CLOSED_WINDOWS);
        return value == null ? new TreeMap<>() : parse(value, k -> k);
    }

    /**
     * The table's event-time clock: every window ending at or before it has closed on every source seen (the
     * slowest source's newest landed window end), or {@link Long#MIN_VALUE} before anything landed.
     */
    static long clock(Map<String, Long> closedWindows) {
        return closedWindows.values().stream().mapToLong(Long::longValue).min().orElse(Long.MIN_VALUE);
    }

    static long windowLength(Table table) {
        String value = table.properties().get(WINDOW_LENGTH);
        return value == null ? 0 : Long.parseLong(value);
    }

    static <K extends Comparable<K>> String format(Map<K, Long> values) {
        StringBuilder b = new StringBuilder();
        new TreeMap<>(values).forEach((k, v) -> b.append(b.length() == 0 ? "" : ",").append(k).append(':').append(v));
        return b.toString();
    }

    private static <K extends Comparable<K>> Map<K, Long> parse(String value,
                                                                 java.util.function.Function<String, K> key) {
        Map<K, Long> out = new TreeMap<>();
        for (String part : value.split(",")) {
            int colon = part.lastIndexOf(':');
            if (colon > 0) {
                out.put(key.apply(part.substring(0, colon)), Long.parseLong(part.substring(colon + 1)));
            }
        }
        return out;
    }
}
