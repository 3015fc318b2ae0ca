package io.lakestream.bench;

import io.lakestream.config.LakestreamConfig;
import io.lakestream.iceberg.IcebergCatalogs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;

/**
 * What the Iceberg tables of a run hold, read through the Iceberg API from the catalog the application commits to (a
 * catalog of its own, not lakestream's committer): per table the rows and data files of its current snapshot. As a
 * {@link DoubleSupplier}, the data files of every table together, which {@link LastChange} samples for the moment the
 * last commit became visible. A table not yet created (at its first commit) holds nothing.
 */
final class IcebergCommitted implements DoubleSupplier, AutoCloseable {

    private final IcebergCatalogs.Opened catalog;
    private final String database;
    private final List<String> names;
    private final Map<String, Table> loaded = new LinkedHashMap<>();

    private IcebergCommitted(IcebergCatalogs.Opened catalog, String database, List<String> names) {
        this.catalog = catalog;
        this.database = database;
        this.names = List.copyOf(names);
    }

    /** @param tables the Iceberg tables to read, by name */
    static IcebergCommitted open(LakestreamConfig config, List<String> tables) {
        return new IcebergCommitted(IcebergCatalogs.open(config), config.catalog().database(), tables);
    }

    /** Rows of the table's current snapshot. */
    synchronized long rows(String table) {
        return summary(table, "total-records");
    }

    /** Data files of every table's current snapshot. */
    synchronized long files() {
        long files = 0;
        for (String name : names) {
            files += summary(name, "total-data-files");
        }
        return files;
    }

    @Override
    public double getAsDouble() {
        return files();
    }

    private long summary(String name, String key) {
        Table table = refreshed(name);
        Snapshot current = table == null ? null : table.currentSnapshot();
        return current == null ? 0 : Long.parseLong(current.summary().getOrDefault(key, "0"));
    }

    private Table refreshed(String name) {
        Table table = loaded.get(name);
        if (table != null) {
            table.refresh();
            return table;
        }
        try {
            table = catalog.catalog().loadTable(TableIdentifier.of(database, name));
        } catch (NoSuchTableException notYet) {
            return null;
        }
        loaded.put(name, table);
        return table;
    }

    @Override
    public void close() throws Exception {
        catalog.close();
    }
}
