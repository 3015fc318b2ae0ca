package io.lakestream.iceberg;

import io.lakestream.config.LakestreamConfig;
import java.io.PrintStream;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;

/** What {@code demo} prints for Iceberg tables after {@code inspect}'s report: a few rows of each current snapshot. */
public final class IcebergDemo {

    private IcebergDemo() {
    }

    /**
     * Prints example rows of every Iceberg table. Called after a run that ended caught up: its drain committed every
     * landed file.
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
                List<Record> rows = IcebergRows.rows(table);
                out.printf("iceberg table %s: %d rows in the current snapshot, for example:%n", id, rows.size());
                rows.stream().limit(3).forEach(r -> out.println("    " + r));
            }
        }
    }
}
