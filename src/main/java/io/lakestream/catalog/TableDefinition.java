package io.lakestream.catalog;

import io.lakestream.config.FileFormat;
import java.util.List;

/**
 * A table as lakestream declares it.
 *
 * @param database      catalog database
 * @param name          table name
 * @param columns       data columns (lineage columns included), in order
 * @param partitionKeys Hive partition keys (all of type string), in path order
 * @param format        storage format
 * @param location      table root, e.g. {@code s3://bucket/prefix/table/}
 */
public record TableDefinition(String database, String name, List<Column> columns, List<String> partitionKeys,
                              FileFormat format, String location) {

    /** @param type Hive/Glue type string, e.g. {@code decimal(12,2)}, {@code struct<a:int>} */
    public record Column(String name, String type, String comment) {
    }
}
