package io.lakestream.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakestream.demo.SampleClaims.Claim;
import io.lakestream.port.ObjectStore;
import io.lakestream.sink.ObjectMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.iceberg.catalog.Catalog;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Partition;

/**
 * Reads a whole claims lake back with independent readers (objects downloaded and queried by DuckDB, the DLQ topic
 * read {@code read_committed}, the Glue catalog through its API) and judges it against what was produced: every valid
 * source offset exactly once in the records table, every malformed one exactly once in the DLQ with its reason, the
 * aggregates equal to a reference computed here, every object's rows matching its offset metadata, and the
 * catalog's partitions equal to the partitions that hold objects.
 *
 * <p>The result is a {@link Verdict} whose {@link Verdict#line()} is one line, e.g.
 * {@code ALL-RECORDS-DELIVERED offsets=N missing=0 duplicates=0 ...}.
 */
public final class LakeVerifier {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SHOWN = 8;

    /**
     * Where the lake is.
     *
     * @param prefix          lake prefix, e.g. {@code lakestream/}
     * @param aggregateWindow tumbling window size of the aggregation (count, sum, min, max of amount per account)
     * @param iceberg         for Iceberg tables, their catalog: rows are then what each table's current snapshot
     *                        holds (read with Iceberg's reader), not every object under the table's folder
     * @param landingsTopic   for Iceberg tables, the landing events: what a compacted file replaced, once snapshot
     *                        expiry has deleted it
     * @param orphanAge       for Iceberg tables, the age at which orphan cleanup deletes a file no snapshot lists
     */
    public record Lake(ObjectStore store, String prefix, String recordsTable, String aggregatesTable,
                       Duration aggregateWindow, String bootstrapServers, String sourceTopic, String dlqTopic,
                       String aggregatesTopic, GlueClient glue, String database, Catalog iceberg,
                       String landingsTopic, Duration orphanAge) {

        /** A lake of Hive-style tables (objects in partition folders, Glue partitions). */
        public Lake(ObjectStore store, String prefix, String recordsTable, String aggregatesTable,
                    Duration aggregateWindow, String bootstrapServers, String sourceTopic, String dlqTopic,
                    String aggregatesTopic, GlueClient glue, String database) {
            this(store, prefix, recordsTable, aggregatesTable, aggregateWindow, bootstrapServers, sourceTopic,
                    dlqTopic, aggregatesTopic, glue, database, null, null, Duration.ZERO);
        }
    }

    /**
     * @param offsets    source offsets expected somewhere (records table or DLQ)
     * @param missing    expected offsets found nowhere they belong
     * @param duplicates extra copies of offsets (in the records table or the DLQ)
     * @param problems   every failed check, offsets first, with evidence
     */
    public record Verdict(int offsets, int missing, int duplicates, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }

        /** One line: the records verdict, then the counts; {@code CHECKS-FAILED} when only other checks fail. */
        public String line() {
            String head = missing > 0 ? "RECORDS-LOST" : duplicates > 0 ? "RECORDS-DUPLICATED"
                    : problems.isEmpty() ? "ALL-RECORDS-DELIVERED" : "CHECKS-FAILED";
            String line = head + " offsets=" + offsets + " missing=" + missing + " duplicates=" + duplicates
                    + " problems=" + problems.size();
            return problems.isEmpty() ? line : line + " first: " + problems.get(0);
        }

        public String report() {
            return line() + (problems.isEmpty() ? "" : "\n  " + String.join("\n  ", problems));
        }
    }

    private LakeVerifier() {
    }

    /**
     * @param expected every record of the source topic by {@code "partition:offset"}; valid ones must be in the
     *                 records table, malformed ones in the DLQ
     */
    public static Verdict verify(Lake lake, Map<String, Claim> expected) {
        List<String> problems = new ArrayList<>();
        DuckLake duck = DuckLake.download(lake.store(), lake.prefix());
        IcebergLake iceberg = lake.iceberg() == null ? null : new IcebergLake(lake.iceberg(), lake.database());
        CompactionLineage lineage = iceberg == null ? null : CompactionLineage.read(duck, lake.store(), lake.prefix(),
                lake.bootstrapServers(), lake.landingsTopic());
        String recordsSource = iceberg != null ? iceberg.duckSource(lake.recordsTable())
                : "read_parquet('{lake}/" + lake.prefix() + lake.recordsTable() + "/**/*.parquet', filename=true)";
        String aggregatesSource = iceberg != null ? iceberg.duckSource(lake.aggregatesTable())
                : "read_parquet('{lake}/" + lake.prefix() + lake.aggregatesTable() + "/**/*.parquet', filename=true)";

        // Records table: each landed row by its source coordinates, with the object it came from.
        List<Map<String, Object>> rows = iceberg != null ? iceberg.claimRows(lake.recordsTable())
                : duck.query("SELECT _source_topic AS t, _source_partition AS p, _source_offset AS o, claim_id, "
                + "CAST(amount AS VARCHAR) AS amount, epoch_ms(claim_ts) AS ts, _late AS late, filename FROM "
                + recordsSource);
        Map<String, List<String>> landedIn = new HashMap<>();
        for (Map<String, Object> r : rows) {
            landedIn.computeIfAbsent(r.get("p") + ":" + r.get("o"), k -> new ArrayList<>())
                    .add(r.containsKey("key") ? (String) r.get("key") : key(duck.dir(), r.get("filename")));
        }
        Map<String, List<String>> dlq = new HashMap<>();
        Map<String, String> dlqReasons = new HashMap<>();
        for (DeadLetters.Letter letter : DeadLetters.read(lake.bootstrapServers(), lake.dlqTopic())) {
            dlq.computeIfAbsent(letter.source(), k -> new ArrayList<>()).add(letter.coordinates());
            dlqReasons.put(letter.source(), letter.errorClass());
            if (!lake.sourceTopic().equals(letter.sourceTopic())) {
                problems.add("dead letter " + letter.coordinates() + " names source topic " + letter.sourceTopic());
            }
        }

        List<String> missing = new ArrayList<>();
        List<String> duplicated = new ArrayList<>();
        int duplicates = 0;
        for (Map.Entry<String, Claim> e : new TreeMap<>(expected).entrySet()) {
            Map<String, List<String>> home = e.getValue().valid() ? landedIn : dlq;
            List<String> copies = home.getOrDefault(e.getKey(), List.of());
            if (copies.isEmpty()) {
                missing.add(e.getKey() + " (" + e.getValue().kind() + ")");
            } else if (copies.size() > 1) {
                duplicates += copies.size() - 1;
                duplicated.add(e.getKey() + " in " + copies
                        + (e.getValue().valid() ? metadataOf(lake.store(), copies) : ""));
            }
        }
        if (!missing.isEmpty()) {
            problems.add(missing.size() + " offset(s) missing, first " + first(missing));
        }
        if (!duplicated.isEmpty()) {
            problems.add(duplicated.size() + " offset(s) duplicated, first " + first(duplicated));
        }
        misplaced(landedIn.keySet(), expected, true, "in the records table", problems);
        misplaced(dlq.keySet(), expected, false, "in the DLQ", problems);
        checkValues(rows, expected, problems);
        dlqReasons.forEach((source, reason) -> {
            Claim c = expected.get(source);
            if (c != null && !c.valid() && !c.kind().name().equals(reason)) {
                problems.add("dead letter of " + source + " says " + reason + ", expected " + c.kind());
            }
        });
        checkObjectMetadata(lake, duck, recordsSource, lineage, problems);
        checkAggregates(lake, duck, aggregatesSource, expected.values(), problems);
        for (String table : List.of(lake.recordsTable(), lake.aggregatesTable())) {
            if (iceberg != null) {
                iceberg.check(table, lake.store(), lake.prefix(), lake.glue(), lineage, lake.orphanAge(), problems);
            } else {
                checkCatalog(lake, table, problems);
            }
        }
        return new Verdict(expected.size(), missing.size(), duplicates, List.copyOf(problems));
    }

    /** Offsets in a place where they do not belong (unknown, or valid in the DLQ / malformed in the lake). */
    private static void misplaced(Set<String> found, Map<String, Claim> expected, boolean wantValid, String where,
                                  List<String> problems) {
        List<String> wrong = found.stream().filter(k -> expected.get(k) == null || expected.get(k).valid() != wantValid)
                .sorted().map(k -> k + (expected.get(k) == null ? " (never produced)" : " (" + expected.get(k).kind()
                        + ")")).toList();
        if (!wrong.isEmpty()) {
            problems.add(wrong.size() + " offset(s) wrongly " + where + ", first " + first(wrong));
        }
    }

    private static void checkValues(List<Map<String, Object>> rows, Map<String, Claim> expected,
                                    List<String> problems) {
        List<String> wrong = new ArrayList<>();
        int late = 0;
        for (Map<String, Object> r : rows) {
            Claim c = expected.get(r.get("p") + ":" + r.get("o"));
            if (c == null || !c.valid()) {
                continue;
            }
            if (Boolean.TRUE.equals(r.get("late"))) {
                late++;
            }
            try {
                var json = JSON.readTree(c.value());
                if (!json.get("claimId").asText().equals(r.get("claim_id"))
                        || !json.get("amount").asText().equals(r.get("amount"))
                        || ((Number) r.get("ts")).longValue() != c.eventTimeMillis()) {
                    wrong.add(r.get("p") + ":" + r.get("o") + " row " + r);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (!wrong.isEmpty()) {
            problems.add(wrong.size() + " row(s) with values other than produced, first " + first(wrong));
        }
        if (late > 0) {
            // Nothing is produced late: a late row means a window closed early (idle closure or a lost watermark).
            problems.add(late + " row(s) landed as late although none was produced late");
        }
    }

    /**
     * Every object's rows are one source partition's offsets between its first/last metadata, count equal; a compacted
     * object's rows are exactly those of the landed files it replaced ({@link CompactionLineage}).
     */
    private static void checkObjectMetadata(Lake lake, DuckLake duck, String source, CompactionLineage lineage,
                                            List<String> problems) {
        if (lineage != null) {
            Map<String, List<Map<String, Object>>> compactedRows = new TreeMap<>();
            for (Map<String, Object> r : duck.query("SELECT filename, _source_topic AS t, _source_partition AS p, "
                    + "_source_offset AS o FROM " + source)) {
                String key = key(duck.dir(), r.get("filename"));
                if (lineage.compacted(key)) {
                    compactedRows.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
                }
            }
            compactedRows.forEach((key, rows) -> lineage.checkRows(key, rows, problems));
        }
        List<Map<String, Object>> objects = duck.query("SELECT filename, min(_source_offset) AS first, "
                + "max(_source_offset) AS last, count(*) AS n, count(DISTINCT _source_partition) AS partitions "
                + "FROM " + source + " GROUP BY filename");
        for (Map<String, Object> o : objects) {
            String key = key(duck.dir(), o.get("filename"));
            if (lineage != null && lineage.compacted(key)) {
                continue;
            }
            Map<String, String> m = lake.store().metadata(key).orElse(Map.of());
            String seen = o.get("first") + ".." + o.get("last") + " (" + o.get("n") + " rows)";
            String declared = m.get(ObjectMetadata.FIRST_OFFSET) + ".." + m.get(ObjectMetadata.LAST_OFFSET) + " ("
                    + m.get(ObjectMetadata.RECORD_COUNT) + " rows)";
            if (!seen.equals(declared) || ((Number) o.get("partitions")).intValue() != 1) {
                problems.add("object " + key + " holds " + seen + " but its metadata says " + declared);
            }
        }
    }

    private static void checkAggregates(Lake lake, DuckLake duck, String source, Collection<Claim> claims,
                                        List<String> problems) {
        long window = lake.aggregateWindow().toMillis();
        Map<String, List<BigDecimal>> groups = new TreeMap<>();
        for (Claim c : claims) {
            if (c.valid()) {
                groups.computeIfAbsent(c.key() + "@" + Math.floorDiv(c.eventTimeMillis(), window) * window,
                        k -> new ArrayList<>()).add(amount(c));
            }
        }
        Map<String, String> expected = new TreeMap<>();
        groups.forEach((k, amounts) -> expected.put(k, amounts.size() + " "
                + amounts.stream().reduce(BigDecimal.ZERO, BigDecimal::add).toPlainString() + " "
                + amounts.stream().min(BigDecimal::compareTo).orElseThrow().toPlainString() + " "
                + amounts.stream().max(BigDecimal::compareTo).orElseThrow().toPlainString()));
        Map<String, String> landed = new TreeMap<>();
        List<String> repeated = new ArrayList<>();
        Map<String, Integer> landedResults = new HashMap<>();
        for (Map<String, Object> r : duck.query("SELECT account_id, epoch_ms(window_start) AS ws, claim_count, "
                + "CAST(amount_total AS VARCHAR) AS total, CAST(amount_min AS VARCHAR) AS mn, "
                + "CAST(amount_max AS VARCHAR) AS mx, _source_partition AS p, _source_offset AS o FROM " + source)) {
            String k = r.get("account_id") + "@" + r.get("ws");
            String v = r.get("claim_count") + " " + r.get("total") + " " + r.get("mn") + " " + r.get("mx");
            landedResults.merge(r.get("p") + ":" + r.get("o"), 1, Integer::sum);
            if (landed.put(k, v) != null) {
                repeated.add(k + " (again at " + r.get("p") + ":" + r.get("o") + ")");
            }
        }
        if (!repeated.isEmpty()) {
            problems.add(repeated.size() + " aggregate row(s) repeated, first " + first(repeated));
        }
        // Tells a result the aggregation never committed from one the aggregates sink did not land.
        List<String> notLanded = new ArrayList<>();
        // Progress marks (no value) are not results.
        var committed = DeadLetters.committed(lake.bootstrapServers(), lake.aggregatesTopic()).stream()
                .filter(r -> r.value() != null).toList();
        if (committed.size() != landedResults.values().stream().mapToInt(Integer::intValue).sum()) {
            // Fewer results in the topic than landed means the broker removed some (retention): a consumer that
            // lagged at that moment, the aggregates sink included, would have lost them.
            problems.add(lake.aggregatesTopic() + " holds " + committed.size() + " committed result(s), the "
                    + "aggregates table " + landedResults.values().stream().mapToInt(Integer::intValue).sum()
                    + " row(s) from it; results were removed from the topic (retention by their timestamps?)");
        }
        for (var result : committed) {
            String coordinates = result.partition() + ":" + result.offset();
            if (landedResults.getOrDefault(coordinates, 0) != 1) {
                notLanded.add(coordinates + " landed " + landedResults.getOrDefault(coordinates, 0) + "x");
            }
        }
        if (!notLanded.isEmpty()) {
            problems.add(notLanded.size() + " committed result(s) of " + lake.aggregatesTopic()
                    + " not landed exactly once, first " + first(notLanded));
        }
        List<String> diff = new ArrayList<>();
        Set<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(landed.keySet());
        for (String k : keys) {
            if (!Objects.equals(expected.get(k), landed.get(k))) {
                diff.add(k + " expected [" + expected.get(k) + "] landed [" + landed.get(k) + "]");
            }
        }
        if (!diff.isEmpty()) {
            problems.add(diff.size() + " of " + keys.size() + " aggregate(s) differ from the reference, first "
                    + first(diff));
        }
    }

    private static void checkCatalog(Lake lake, String table, List<String> problems) {
        String tablePath = lake.prefix() + table + "/";
        Set<List<String>> withObjects = lake.store().list(tablePath).stream()
                .map(k -> k.substring(tablePath.length()).split("/"))
                .map(s -> java.util.Arrays.stream(s, 0, s.length - 1).map(p -> p.substring(p.indexOf('=') + 1))
                        .toList())
                .collect(Collectors.toSet());
        Set<List<String>> cataloged = lake.glue().getPartitionsPaginator(r -> r.databaseName(lake.database())
                        .tableName(table)).stream().flatMap(page -> page.partitions().stream())
                .map(Partition::values).collect(Collectors.toSet());
        if (!cataloged.equals(withObjects)) {
            Set<List<String>> notCataloged = new HashSet<>(withObjects);
            notCataloged.removeAll(cataloged);
            Set<List<String>> empty = new HashSet<>(cataloged);
            empty.removeAll(withObjects);
            problems.add("catalog of " + table + ": partitions with objects but not cataloged " + notCataloged
                    + ", cataloged without objects " + empty);
        }
    }

    private static BigDecimal amount(Claim c) {
        try {
            return new BigDecimal(JSON.readTree(c.value()).get("amount").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String metadataOf(ObjectStore store, List<String> keys) {
        return " metadata " + keys.stream().distinct().map(k -> k + "=" + new TreeMap<>(store.metadata(k)
                .orElse(Map.of()))).toList();
    }

    private static String key(Path dir, Object filename) {
        return dir.relativize(Path.of(String.valueOf(filename))).toString();
    }

    private static String first(List<String> items) {
        return items.subList(0, Math.min(SHOWN, items.size())).toString();
    }
}
