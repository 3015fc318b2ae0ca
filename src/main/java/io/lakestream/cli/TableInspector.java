package io.lakestream.cli;

import io.lakestream.config.AggregationConfig;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.PipelineConfig;
import io.lakestream.iceberg.IcebergMaintenance;
import io.lakestream.iceberg.IcebergTables;
import io.lakestream.iceberg.TableStats;
import io.lakestream.port.ObjectStore;
import io.lakestream.sink.ObjectKeys;
import io.lakestream.sink.ObjectMetadata;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code inspect} reports per table, as an ordered map (printed as text, or as JSON for scripts): format,
 * location, partition spec, snapshots, data files (count, total and median size, files per partition, smallest
 * partitions), rows, and for Iceberg tables what the next maintenance pass would do. Hive tables are read from the
 * object store (one HEAD per object for its size and row count); Iceberg tables from the current snapshot.
 */
final class TableInspector {

    private static final int SMALLEST = 5;

    private TableInspector() {
    }

    /** Every table of the config: landing and aggregates tables, and the Iceberg tables that route-by names. */
    static List<String> tables(LakestreamConfig config) {
        Set<String> names = new LinkedHashSet<>();
        for (PipelineConfig p : config.pipelines()) {
            names.add(p.landing().table());
            p.aggregations().stream().map(AggregationConfig::table).forEach(names::add);
        }
        names.addAll(config.tableFormats().icebergTables().keySet());
        return List.copyOf(names);
    }

    static Map<String, Object> iceberg(IcebergTables tables, String name, boolean allClosed) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("table", name);
        out.put("format", "iceberg");
        IcebergTables.Inspection t = tables.inspect(name, allClosed);
        if (t == null) {
            out.put("exists", false);
            return out;
        }
        out.put("location", t.location());
        out.put("partition-spec", t.spec());
        Map<String, Object> snapshots = new LinkedHashMap<>();
        snapshots.put("count", t.snapshots());
        snapshots.put("latest", t.latest());
        snapshots.put("latest-at", t.latest() == null ? null : Instant.ofEpochMilli(t.latestAt()).toString());
        snapshots.put("latest-age-seconds", t.latest() == null ? null
                : (System.currentTimeMillis() - t.latestAt()) / 1000);
        out.put("snapshots", snapshots);
        files(out, t.files());
        IcebergMaintenance.Preview p = t.next();
        Map<String, Object> next = new LinkedHashMap<>();
        next.put("closed-partitions", p.closedPartitions());
        next.put("open-partitions", p.openPartitions());
        next.put("rewrites", p.rewrites());
        next.put("files-to-rewrite", p.filesToRewrite());
        next.put("bytes-to-rewrite", p.bytesToRewrite());
        next.put("partitions-deferred", p.deferred());
        next.put("snapshots-to-expire", p.expirable());
        out.put("next-maintenance", next);
        return out;
    }

    static Map<String, Object> hive(LakestreamConfig config, ObjectStore store, String name) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("table", name);
        out.put("format", "hive");
        String prefix = ObjectKeys.tablePath(config.lake().prefix(), name);
        out.put("location", store.uri(prefix));
        List<TableStats.File> files = new ArrayList<>();
        for (String key : store.list(prefix)) {
            String rows = store.metadata(key).orElse(Map.of()).get(ObjectMetadata.RECORD_COUNT);
            if (rows == null) {
                continue; // not written by lakestream
            }
            int slash = key.lastIndexOf('/');
            String partition = slash <= prefix.length() ? "" : key.substring(prefix.length(), slash);
            files.add(new TableStats.File(partition, store.size(key), Long.parseLong(rows)));
        }
        files(out, TableStats.of(files));
        out.put("next-maintenance", "none: Hive tables are not maintained");
        return out;
    }

    private static void files(Map<String, Object> out, TableStats s) {
        Map<String, Object> files = new LinkedHashMap<>();
        files.put("count", s.files());
        files.put("bytes", s.bytes());
        files.put("median-bytes", s.medianBytes());
        files.put("partitions", s.partitions().size());
        List<Long> perPartition = s.partitions().values().stream().map(TableStats.Partition::files).sorted().toList();
        Map<String, Long> spread = new LinkedHashMap<>();
        if (!perPartition.isEmpty()) {
            spread.put("min", perPartition.get(0));
            spread.put("median", perPartition.get(perPartition.size() / 2));
            spread.put("max", perPartition.get(perPartition.size() - 1));
        }
        files.put("files-per-partition", spread);
        List<Map<String, Object>> smallest = new ArrayList<>();
        s.smallest(SMALLEST).forEach(e -> smallest.add(Map.of("partition", e.getKey(), "files", e.getValue().files(),
                "bytes", e.getValue().bytes())));
        files.put("smallest-partitions", smallest);
        out.put("data-files", files);
        out.put("rows", s.rows());
    }

    /** The report as a few lines of text. */
    @SuppressWarnings("unchecked")
    static String text(Map<String, Object> t) {
        StringBuilder b = new StringBuilder();
        b.append("table ").append(t.get("table")).append(" (").append(t.get("format")).append(")");
        if (Boolean.FALSE.equals(t.get("exists"))) {
            return b.append(": not created yet (nothing landed)\n").toString();
        }
        b.append(" at ").append(t.get("location")).append('\n');
        if (t.containsKey("partition-spec")) {
            b.append("  partition spec: ").append(t.get("partition-spec")).append('\n');
            Map<String, Object> s = (Map<String, Object>) t.get("snapshots");
            b.append("  snapshots: ").append(s.get("count"));
            if (s.get("latest") != null) {
                b.append(", latest ").append(s.get("latest")).append(" at ").append(s.get("latest-at")).append(" (")
                        .append(Duration.ofSeconds((Long) s.get("latest-age-seconds"))).append(" ago)");
            }
            b.append('\n');
        }
        Map<String, Object> f = (Map<String, Object>) t.get("data-files");
        b.append("  data files: ").append(f.get("count")).append(", ").append(bytes((Long) f.get("bytes")))
                .append(" total, median ").append(bytes((Long) f.get("median-bytes"))).append("; rows: ")
                .append((Long) t.get("rows") < 0 ? "unknown" : t.get("rows")).append('\n');
        b.append("  partitions: ").append(f.get("partitions")).append(", files per partition ")
                .append(f.get("files-per-partition")).append('\n');
        for (Map<String, Object> p : (List<Map<String, Object>>) f.get("smallest-partitions")) {
            b.append("    ").append(p.get("partition")).append(": ").append(p.get("files")).append(" files, ")
                    .append(bytes((Long) p.get("bytes"))).append('\n');
        }
        Object next = t.get("next-maintenance");
        if (next instanceof Map<?, ?> n) {
            b.append("  next maintenance pass: rewrite ").append(n.get("files-to-rewrite")).append(" files (")
                    .append(bytes((Long) n.get("bytes-to-rewrite"))).append(") into ").append(n.get("rewrites"))
                    .append(", ").append(n.get("partitions-deferred")).append(" partition(s) deferred, ")
                    .append(n.get("open-partitions")).append(" still open; expire ")
                    .append(n.get("snapshots-to-expire")).append(" snapshot(s)\n");
        } else {
            b.append("  next maintenance pass: ").append(next).append('\n');
        }
        return b.toString();
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        int unit = (63 - Long.numberOfLeadingZeros(n)) / 10;
        return String.format(java.util.Locale.ROOT, "%.1f %siB", n / (double) (1L << (unit * 10)), "KMGTPE"
                .charAt(unit - 1));
    }
}
