package io.lakestream.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakestream.sink.ObjectMetadata;
import io.lakestream.sink.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What a reader of an Iceberg table sees after compaction, read independently: a compacted file names in its Parquet
 * footer every file it replaced (those it rewrote and, transitively, theirs), read here by DuckDB's
 * {@code parquet_kv_metadata}; a replaced landed file's offsets come from its object metadata while the object exists,
 * else from the committed landing event that announced it (snapshot expiry deletes replaced files). The rows of a
 * compacted file, by their lineage columns, must be exactly the union of the landed files it replaced.
 */
final class CompactionLineage {

    /** The footer key a compacted file lists its replaced files under (one location a line). */
    static final String REPLACED_KEY = "lakestream.replaced-files";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One landed file's rows: a source partition's offsets between first and last, {@code count} of them. */
    record Landed(String topic, int partition, long first, long last, long count) {
        boolean holds(String t, int p, long o) {
            return topic.equals(t) && partition == p && o >= first && o <= last;
        }
    }

    private final Map<String, List<String>> replaced = new HashMap<>();
    private final Map<String, Landed> announced = new HashMap<>();
    private final ObjectStore store;

    private CompactionLineage(ObjectStore store) {
        this.store = store;
    }

    /**
     * The footers of every Parquet object under {@code prefix} (downloaded in {@code duck}) and the committed landing
     * events of {@code landingsTopic} (none if null).
     */
    static CompactionLineage read(DuckLake duck, ObjectStore store, String prefix, String bootstrapServers,
                                  String landingsTopic) {
        CompactionLineage lineage = new CompactionLineage(store);
        for (Map<String, Object> r : duck.query("SELECT file_name, decode(value) AS v FROM parquet_kv_metadata('{lake}/"
                + prefix + "**/*.parquet') WHERE decode(key) = '" + REPLACED_KEY + "'")) {
            List<String> keys = new ArrayList<>();
            for (String location : String.valueOf(r.get("v")).split("\n")) {
                if (!location.isBlank()) {
                    keys.add(IcebergLake.key(location.strip()));
                }
            }
            lineage.replaced.put(duck.dir().relativize(Path.of(String.valueOf(r.get("file_name")))).toString(), keys);
        }
        if (landingsTopic != null) {
            for (ConsumerRecord<byte[], byte[]> r : TopicRecords.readAll(bootstrapServers, landingsTopic)) {
                if (r.value() == null) {
                    continue;
                }
                try {
                    JsonNode e = JSON.readTree(r.value());
                    lineage.announced.put(e.path("objectKey").asText(), new Landed(e.path("sourceTopic").asText(),
                            e.path("sourcePartition").asInt(), e.path("firstOffset").asLong(),
                            e.path("lastOffset").asLong(), e.path("rowCount").asLong()));
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            }
        }
        return lineage;
    }

    /** Whether the object is a compaction's output (its footer names replaced files). */
    boolean compacted(String key) {
        return replaced.containsKey(key);
    }

    /** Every file the compacted object names as replaced. */
    List<String> replacedBy(String key) {
        return replaced.getOrDefault(key, List.of());
    }

    /**
     * Checks one compacted file of the snapshot: each row (topic, partition, offset) belongs to exactly one landed file
     * it replaced, and each such file's offsets are there exactly, first to last, count equal.
     *
     * @param rows the file's rows, each {@code t, p, o}
     */
    void checkRows(String key, List<Map<String, Object>> rows, List<String> problems) {
        Map<String, Landed> sources = new LinkedHashMap<>();
        for (String r : replacedBy(key)) {
            Optional<Landed> landed = landed(r);
            if (landed.isPresent()) {
                sources.put(r, landed.get());
            } else if (!compacted(r) && !r.substring(r.lastIndexOf('/') + 1).startsWith("compacted-")) {
                // A landed file is known by its object or its landing event; only a rewritten compaction output,
                // deleted by expiry, is known by neither (its own rows are named through its replaced files).
                problems.add("compacted object " + key + " names " + r + ", known neither as an object with offset"
                        + " metadata nor by a landing event");
            }
        }
        Map<String, long[]> seen = new HashMap<>(); // min, max, count by replaced file
        List<String> stray = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            String t = String.valueOf(row.get("t"));
            int p = ((Number) row.get("p")).intValue();
            long o = ((Number) row.get("o")).longValue();
            List<String> owners = sources.entrySet().stream().filter(e -> e.getValue().holds(t, p, o))
                    .map(Map.Entry::getKey).toList();
            if (owners.size() != 1) {
                stray.add(t + ":" + p + ":" + o + " in " + owners.size() + " replaced file(s)");
                continue;
            }
            long[] s = seen.computeIfAbsent(owners.get(0), k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE, 0});
            s[0] = Math.min(s[0], o);
            s[1] = Math.max(s[1], o);
            s[2]++;
        }
        if (!stray.isEmpty()) {
            problems.add("compacted object " + key + ": " + stray.size() + " row(s) not from exactly one file it"
                    + " replaced, first " + stray.subList(0, Math.min(8, stray.size())));
        }
        sources.forEach((file, l) -> {
            long[] s = seen.get(file);
            String held = s == null ? "nothing" : s[0] + ".." + s[1] + " (" + s[2] + " rows)";
            String declared = l.first() + ".." + l.last() + " (" + l.count() + " rows)";
            if (!held.equals(declared)) {
                problems.add("compacted object " + key + " holds " + held + " of replaced " + file + ", which held "
                        + declared);
            }
        });
    }

    /** A landed file's offsets: its object metadata while it exists, else its landing event. */
    private Optional<Landed> landed(String key) {
        Map<String, String> m = store.metadata(key).orElse(Map.of());
        if (m.containsKey(ObjectMetadata.FIRST_OFFSET)) {
            String source = m.get(ObjectMetadata.SOURCE);
            int dash = source.lastIndexOf('-');
            return Optional.of(new Landed(source.substring(0, dash), Integer.parseInt(source.substring(dash + 1)),
                    Long.parseLong(m.get(ObjectMetadata.FIRST_OFFSET)), Long.parseLong(m.get(ObjectMetadata.LAST_OFFSET)),
                    Long.parseLong(m.get(ObjectMetadata.RECORD_COUNT))));
        }
        return Optional.ofNullable(announced.get(key));
    }
}
