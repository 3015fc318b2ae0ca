package io.lakestream.testing;

import io.lakestream.iceberg.IcebergRows;
import io.lakestream.port.ObjectStore;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;
import software.amazon.awssdk.services.glue.GlueClient;

/**
 * The Iceberg side of {@link LakeVerifier}: a table's rows as Iceberg's reader returns them from the current
 * snapshot (the files its manifests list, read with the table's schema and name mapping), the DuckDB source over
 * exactly those files, and the table-level checks: no data file listed twice, no data object under the table's
 * folder left out of the snapshot, the Glue table an Iceberg table pointing at the current metadata.
 */
public final class IcebergLake {

    private final Catalog catalog;
    private final String database;

    IcebergLake(Catalog catalog, String database) {
        this.catalog = catalog;
        this.database = database;
    }

    Table table(String name) {
        return catalog.loadTable(TableIdentifier.of(database, name));
    }

    /** The object key of a data file location ({@code s3://bucket/key}). */
    public static String key(String location) {
        return URI.create(location).getPath().substring(1);
    }

    /**
     * Each row of the claims table's current snapshot with the columns {@link LakeVerifier} compares: {@code t, p,
     * o, claim_id, amount, ts, late} and {@code key}, the object it was read from.
     */
    List<Map<String, Object>> claimRows(String table) {
        List<Map<String, Object>> rows = new ArrayList<>();
        IcebergRows.rowsByFile(table(table)).forEach((file, records) -> {
            for (Record r : records) {
                Map<String, Object> row = new HashMap<>();
                row.put("t", r.getField("_source_topic"));
                row.put("p", r.getField("_source_partition"));
                row.put("o", r.getField("_source_offset"));
                row.put("claim_id", r.getField("claim_id"));
                row.put("amount", ((BigDecimal) r.getField("amount")).toPlainString());
                row.put("ts", ((OffsetDateTime) r.getField("claim_ts")).toInstant().toEpochMilli());
                row.put("late", r.getField("_late"));
                row.put("key", key(file));
                rows.add(row);
            }
        });
        return rows;
    }

    /** A DuckDB {@code read_parquet} over exactly the files of the table's current snapshot (downloaded). */
    String duckSource(String table) {
        List<String> files = IcebergRows.files(table(table));
        if (files.isEmpty()) {
            throw new IllegalStateException("iceberg table " + database + "." + table + " has no data files");
        }
        return "read_parquet([" + files.stream().map(f -> "'{lake}/" + key(f) + "'").collect(Collectors.joining(", "))
                + "], filename=true)";
    }

    /** Creation time of each object under the table's data folder, by key, as the table's file IO lists it. */
    private static Map<String, Long> created(Table t) {
        Map<String, Long> created = new HashMap<>();
        if (t.io() instanceof SupportsPrefixOperations io) {
            for (FileInfo f : io.listPrefix(t.location() + "/data/")) {
                created.put(key(f.location()), f.createdAtMillis());
            }
        }
        return created;
    }

    /**
     * Table-level checks; failures are added to {@code problems}. A data object the snapshot does not list is an
     * orphan unless orphan cleanup may not have reached it yet (younger than {@code orphanAge}) and it is either a
     * file that a compaction in the snapshot replaced, or the output of a compaction whose commit did not land
     * (killed mid-commit) whose replaced files are all still read through the snapshot.
     */
    void check(String table, ObjectStore store, String prefix, GlueClient glue, CompactionLineage lineage,
               Duration orphanAge, List<String> problems) {
        Table t = table(table);
        List<String> files = IcebergRows.files(t);
        Set<String> seen = new HashSet<>();
        List<String> twice = files.stream().filter(f -> !seen.add(f)).toList();
        if (!twice.isEmpty()) {
            problems.add("iceberg table " + table + ": " + twice.size() + " data file(s) listed twice in the current"
                    + " snapshot, first " + twice.get(0));
        }
        Set<String> committed = files.stream().map(IcebergLake::key).collect(Collectors.toSet());
        String folder = prefix + table + "/";
        Set<String> replaced = new HashSet<>();
        committed.forEach(k -> replaced.addAll(lineage.replacedBy(k)));
        Map<String, Long> created = created(t);
        long now = System.currentTimeMillis();
        Set<String> orphans = new TreeSet<>();
        for (String key : store.list(folder)) {
            if (key.endsWith(".parquet") && !key.startsWith(folder + "metadata/") && !committed.contains(key)) {
                Long at = created.get(key);
                boolean young = at != null && now - at < orphanAge.toMillis();
                boolean superseded = replaced.contains(key) || lineage.compacted(key) && lineage.replacedBy(key)
                        .stream().allMatch(r -> committed.contains(r) || replaced.contains(r));
                if (!young || !superseded) {
                    orphans.add(key + (young ? "" : " (older than " + orphanAge + ")"));
                }
            }
        }
        if (!orphans.isEmpty()) {
            // Object names are deterministic, so a replayed or zombie flush meets its own object: a data object the
            // snapshot does not list was written for a window no committed landing announced.
            problems.add("iceberg table " + table + ": " + orphans.size() + " data object(s) under " + folder
                    + " not in the current snapshot, first " + orphans.iterator().next());
        }
        Map<String, String> params = glue.getTable(r -> r.databaseName(database).name(table)).table().parameters();
        String metadata = ((HasTableOperations) t).operations().current().metadataFileLocation();
        if (!"ICEBERG".equalsIgnoreCase(params.get("table_type"))
                || !metadata.equals(params.get("metadata_location"))) {
            problems.add("glue table " + database + "." + table + " is not the Iceberg table's current metadata: "
                    + params);
        }
    }
}
