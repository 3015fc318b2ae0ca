package io.lakestream.iceberg;

import io.lakestream.config.LakestreamConfig;
import java.io.PrintStream;
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
     * Prints every Iceberg table. Called after a run that ended caught up: its drain committed every landed file.
     */
    public static void print(LakestreamConfig config, PrintStream out) throws Exception {
        try (IcebergCatalogs.Opened catalog = IcebergCatalogs.open(config)) {
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
}
