package io.lakestream.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakestream.port.ObjectStore;
import io.lakestream.sink.ObjectMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What a reader of an Iceberg table sees after compaction, read independently: a compacted file names in its Parquet
 * footer every file it replaced (those it rewrote and, transitively, theirs), read here by DuckDB's
 * {@code parquet_kv_metadata}; a replaced landed file's offsets come from its object metadata while the object exists,
 * else from the committed landing event that announced it (snapshot expiry deletes replaced files). The rows of a
 * compacted file, by their lineage columns, must be exactly the union of the landed files it replaced.
 */
public final class CompactionLineage {

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

    /**
     * The files each given object names as replaced in its footer (objects without that footer key are left out),
     * read by DuckDB from a download of the objects.
     */
    public static Map<String, List<String>> replacedFiles(ObjectStore store, Collection<String> keys) {
        try {
            java.nio.file.Path dir = Files.createTempDirectory("footers");
            for (String key : keys) {
                java.nio.file.Path file = dir.resolve(key);
                Files.createDirectories(file.getParent());
                Files.write(file, store.read(key));
            }
            return keys.isEmpty() ? Map.of() : read(DuckLake.at(dir), store, "", null, null).replaced;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
     * Checks one compacted file of the snapshot against the landed files it replaced. Files of one source partition
     * interleave (a record goes to its event-time window's file), so per source partition: the rows are as many as
     * those files held, each offset within one of their ranges, every file's first and last offset among them; and
     * no row of a source partition none of them held.
     *
     * @param rows the file's rows, each {@code t, p, o}
     */
    void checkRows(String key, List<Map<String, Object>> rows, List<String> problems) {
        Map<String, List<Landed>> sources = new TreeMap<>();
        for (String r : replacedBy(key)) {
            Optional<Landed> landed = landed(r);
            if (landed.isPresent()) {
                sources.computeIfAbsent(landed.get().topic() + ":" + landed.get().partition(), k -> new ArrayList<>())
                        .add(landed.get());
            } else if (!compacted(r) && !r.substring(r.lastIndexOf('/') + 1).startsWith("compacted-")) {
                // A landed file is known by its object or its landing event; only a rewritten compaction output,
                // deleted by expiry, is known by neither (its own rows are named through its replaced files).
                problems.add("compacted object " + key + " names " + r + ", known neither as an object with offset"
                        + " metadata nor by a landing event");
            }
        }
        Map<String, Set<Long>> held = new TreeMap<>();
        List<String> stray = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            String t = String.valueOf(row.get("t"));
            int p = ((Number) row.get("p")).intValue();
            long o = ((Number) row.get("o")).longValue();
            List<Landed> files = sources.getOrDefault(t + ":" + p, List.of());
            if (files.stream().noneMatch(l -> l.holds(t, p, o))) {
                stray.add(t + ":" + p + ":" + o);
            }
            held.computeIfAbsent(t + ":" + p, k -> new HashSet<>()).add(o);
        }
        if (!stray.isEmpty()) {
            problems.add("compacted object " + key + ": " + stray.size() + " row(s) outside every file it replaced,"
                    + " first " + stray.subList(0, Math.min(8, stray.size())));
        }
        Set<String> partitions = new TreeSet<>(sources.keySet());
        partitions.addAll(held.keySet());
        for (String source : partitions) {
            List<Landed> files = sources.getOrDefault(source, List.of());
            Set<Long> offsets = held.getOrDefault(source, Set.of());
            long expected = files.stream().mapToLong(Landed::count).sum();
            long rowsOfSource = rows.stream().filter(r -> source.equals(r.get("t") + ":" + r.get("p"))).count();
            List<String> endsMissing = files.stream().filter(l -> !offsets.contains(l.first())
                    || !offsets.contains(l.last())).map(l -> l.first() + ".." + l.last()).toList();
            if (rowsOfSource != expected || !endsMissing.isEmpty()) {
                problems.add("compacted object " + key + " holds " + rowsOfSource + " row(s) of " + source + " where"
                        + " the " + files.size() + " file(s) it replaced held " + expected + "; first/last offsets"
                        + " missing of " + endsMissing);
            }
        }
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
