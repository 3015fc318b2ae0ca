package io.lakestream.iceberg;

import io.lakestream.config.LakestreamConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;

/** What {@code demo} prints for Iceberg tables: each table's spec, snapshots and a few rows of the current one. */
public final class IcebergDemo {

    private IcebergDemo() {
    }

    /**
     * Waits until no table has gained a snapshot for two commit intervals (the committers have caught up with the
     * landings), then prints every Iceberg table.
     */
    public static void print(LakestreamConfig config, PrintStream out) throws Exception {
        try (IcebergCatalogs.Opened catalog = IcebergCatalogs.open(config)) {
            String last = "";
            long quietSince = System.nanoTime();
            Duration quiet = config.tableFormats().commitInterval().multipliedBy(2);
            while (System.nanoTime() - quietSince < quiet.toNanos()) {
                String now = state(config, catalog);
                if (!now.equals(last)) {
                    last = now;
                    quietSince = System.nanoTime();
                }
                Thread.sleep(200);
            }
            for (String name : config.tableFormats().icebergTables().keySet()) {
                TableIdentifier id = TableIdentifier.of(config.catalog().database(), name);
                if (!catalog.catalog().tableExists(id)) {
                    out.printf("iceberg table %s: not created (nothing landed)%n", id);
                    continue;
                }
                Table table = catalog.catalog().loadTable(id);
                out.printf("iceberg table %s at %s, partition spec %s%n", id, table.location(),
                        table.spec().fields().stream().map(f -> f.transform() + "(" + table.schema()
                                .findColumnName(f.sourceId()) + ")").toList());
                for (Snapshot s : table.snapshots()) {
                    out.printf("  snapshot %d at %s: +%s files, +%s rows, total %s rows, landings offsets %s%n",
                            s.snapshotId(), Instant.ofEpochMilli(s.timestampMillis()),
                            s.summary().get("added-data-files"), s.summary().get("added-records"),
                            s.summary().get("total-records"), s.summary().get(IcebergCommitter.LANDINGS_OFFSETS));
                }
                List<Record> rows = IcebergRows.rows(table);
                out.printf("  %d rows in the current snapshot, for example:%n", rows.size());
                rows.stream().limit(3).forEach(r -> out.println("    " + r));
            }
        }
    }

    private static String state(LakestreamConfig config, IcebergCatalogs.Opened catalog) {
        StringBuilder b = new StringBuilder();
        for (String name : config.tableFormats().icebergTables().keySet()) {
            TableIdentifier id = TableIdentifier.of(config.catalog().database(), name);
            if (catalog.catalog().tableExists(id)) {
                Snapshot s = catalog.catalog().loadTable(id).currentSnapshot();
                b.append(name).append('=').append(s == null ? "-" : s.snapshotId()).append(';');
            }
        }
        return b.toString();
    }
}
