package io.lakestream.sink;

import io.lakestream.catalog.AvroColumns;
import io.lakestream.catalog.Catalog;
import io.lakestream.catalog.PartitionSpec;
import io.lakestream.catalog.TableDefinition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The committer of a Hive table ({@link TableCommitter}): keeps one table's catalog entry current for one task: the table is ensured once per table schema (schema version),
 * before its first partition is added; partitions are added once each, at most {@value #MAX_BATCH} per call. Both
 * calls are idempotent in the catalog, so the caches only save calls; after a restart they start empty.
 */
final class CatalogUpdater implements TableCommitter {

    static final int MAX_BATCH = 100;
    private static final Logger LOG = LoggerFactory.getLogger(CatalogUpdater.class);

    private final Catalog catalog;
    private final SinkSpec spec;
    private final String tableLocation;
    private final java.util.function.Function<String, String> uri;
    private final Set<Schema> ensured = new HashSet<>();
    private final Set<List<String>> knownPartitions = new HashSet<>();

    CatalogUpdater(Catalog catalog, SinkSpec spec, java.util.function.Function<String, String> uri) {
        this.catalog = catalog;
        this.spec = spec;
        this.uri = uri;
        this.tableLocation = uri.apply(ObjectKeys.tablePath(spec.target().prefix(), spec.table()));
    }

    /**
     * A field that is also a partition column is left out of the data columns: Hive and Athena refuse a partition
     * key that repeats a column, and read its value from the object's folder. The files still hold the field.
     */
    static TableDefinition definition(SinkSpec spec, Schema tableSchema, String tableLocation) {
        return new TableDefinition(spec.target().database(), spec.table(), AvroColumns.columns(tableSchema).stream()
                .filter(c -> !spec.target().partitionBy().contains(c.name())).toList(),
                spec.target().partitionBy(), spec.target().format(), tableLocation);
    }

    @Override
    public void beforeWrite(Schema tableSchema) {
        if (ensured.add(tableSchema)) {
            catalog.ensureTable(definition(spec, tableSchema, tableLocation));
            LOG.info("pipeline {} table {}.{}: ensured table for schema {}", spec.pipeline(), spec.target().database(),
                    spec.table(), tableSchema.getFullName());
        }
    }

    /** Adds the partitions among {@code values} not added before by this task. */
    @Override
    public void landed(Collection<List<String>> values) {
        if (spec.target().partitionBy().isEmpty()) {
            return;
        }
        List<PartitionSpec> fresh = new ArrayList<>();
        for (List<String> v : values) {
            if (!knownPartitions.contains(v)) {
                fresh.add(new PartitionSpec(v, uri.apply(ObjectKeys.partitionPath(spec.target().prefix(), spec.table(),
                        spec.target().partitionBy(), v))));
            }
        }
        for (int i = 0; i < fresh.size(); i += MAX_BATCH) {
            List<PartitionSpec> batch = fresh.subList(i, Math.min(fresh.size(), i + MAX_BATCH));
            catalog.addPartitions(spec.target().database(), spec.table(), List.copyOf(batch));
            batch.forEach(p -> knownPartitions.add(p.values()));
            LOG.info("pipeline {} table {}.{}: added partitions {}", spec.pipeline(), spec.target().database(),
                    spec.table(), batch.stream().map(PartitionSpec::values).toList());
        }
    }
}
