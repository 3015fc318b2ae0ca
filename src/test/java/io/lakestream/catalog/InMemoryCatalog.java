package io.lakestream.catalog;

import io.lakestream.catalog.TableDefinition.Column;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A catalog in memory that behaves like Glue where the sink can tell: a partition that already exists counts as
 * success, a batch of more than 100 partitions is refused, adding partitions to a missing table fails, and a new
 * table version that brings columns the table lacks appends them (existing columns keep their order).
 */
public final class InMemoryCatalog implements Catalog {

    /** Glue's BatchCreatePartition limit. */
    public static final int MAX_BATCH = 100;

    private final Map<String, TableDefinition> tables = new LinkedHashMap<>();
    private final Map<String, Map<List<String>, PartitionSpec>> partitions = new LinkedHashMap<>();
    private final AtomicInteger ensureCalls = new AtomicInteger();
    private final AtomicInteger addPartitionCalls = new AtomicInteger();

    @Override
    public synchronized void ensureTable(TableDefinition table) {
        ensureCalls.incrementAndGet();
        String id = id(table.database(), table.name());
        TableDefinition existing = tables.get(id);
        if (existing == null) {
            tables.put(id, table);
            partitions.put(id, new LinkedHashMap<>());
            return;
        }
        Set<String> known = existing.columns().stream().map(Column::name).collect(Collectors.toSet());
        List<Column> columns = new ArrayList<>(existing.columns());
        table.columns().stream().filter(c -> !known.contains(c.name())).forEach(columns::add);
        tables.put(id, new TableDefinition(existing.database(), existing.name(), List.copyOf(columns),
                existing.partitionKeys(), existing.format(), existing.location()));
    }

    @Override
    public synchronized void addPartitions(String database, String table, List<PartitionSpec> specs) {
        addPartitionCalls.incrementAndGet();
        if (specs.size() > MAX_BATCH) {
            throw new IllegalArgumentException("at most " + MAX_BATCH + " partitions per call, got " + specs.size());
        }
        Map<List<String>, PartitionSpec> held = partitions.get(id(database, table));
        if (held == null) {
            throw new IllegalStateException("EntityNotFoundException: table " + id(database, table));
        }
        specs.forEach(spec -> held.putIfAbsent(spec.values(), spec));
    }

    @Override
    public synchronized List<PartitionSpec> partitions(String database, String table) {
        Map<List<String>, PartitionSpec> held = partitions.get(id(database, table));
        return held == null ? List.of() : List.copyOf(held.values());
    }

    @Override
    public synchronized TableDefinition table(String database, String table) {
        return tables.get(id(database, table));
    }

    public int ensureTableCalls() {
        return ensureCalls.get();
    }

    public int addPartitionCalls() {
        return addPartitionCalls.get();
    }

    private static String id(String database, String table) {
        return database + "." + table;
    }
}
