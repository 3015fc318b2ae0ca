package io.lakestream.sink;

import java.util.List;

/**
 * Which layout each table of the application has: the Hive layout, unless the configuration makes the table an
 * Iceberg table. Given to the sinks by the topology wiring, which knows the table formats.
 */
@FunctionalInterface
public interface TableLayouts {

    /**
     * @param partitionBy    the table's Hive partition columns (ignored by an Iceberg table, which has its spec)
     * @param eventTimeField the column holding the records' event time
     */
    TableLayout of(String table, List<String> partitionBy, String eventTimeField);
}
