package io.lakestream.catalog;

import java.util.List;

/**
 * The table catalog (Glue Data Catalog, local catalog files, or memory in unit tests). All calls are
 * idempotent: a replayed flush re-adds partitions that already exist and that counts as success.
 */
public interface Catalog extends AutoCloseable {

    /**
     * Creates the database and table if missing; if the table exists and {@code table} has columns it lacks
     * (a new schema version adding optional fields), updates its columns.
     */
    void ensureTable(TableDefinition table);

    /** Adds partitions to a table; partitions that already exist are not an error. */
    void addPartitions(String database, String table, List<PartitionSpec> partitions);

    /** Partitions of a table (for check, tests and the demo summary). */
    List<PartitionSpec> partitions(String database, String table);

    /** The table as the catalog holds it, or null if it does not exist. */
    TableDefinition table(String database, String table);

    @Override
    default void close() {
    }
}
