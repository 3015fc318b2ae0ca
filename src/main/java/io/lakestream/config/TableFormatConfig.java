package io.lakestream.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Which tables are Apache Iceberg tables and how they are partitioned; every other table keeps the Hive layout.
 *
 * @param defaultFormat  {@code lake.table-format}: hive (default) or iceberg
 * @param commitInterval {@code catalog.commit-interval}: how long an Iceberg committer batches landed files before it
 *                       commits them as one snapshot (default 10s)
 * @param icebergTables  the Iceberg tables by table name (records and aggregates tables alike)
 * @param maintenance    {@code catalog.maintenance}: compaction, snapshot expiry and orphan cleanup of Iceberg tables
 */
public record TableFormatConfig(String defaultFormat, Duration commitInterval,
                                Map<String, IcebergTableConfig> icebergTables, MaintenanceConfig maintenance) {

    public static final String HIVE = "hive";
    public static final String ICEBERG = "iceberg";
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofSeconds(10);

    /** Every table Hive-style: the layout of configs without a table-format. */
    public static final TableFormatConfig ALL_HIVE = new TableFormatConfig(HIVE, DEFAULT_COMMIT_INTERVAL, Map.of());

    /** With the default maintenance settings. */
    public TableFormatConfig(String defaultFormat, Duration commitInterval, Map<String, IcebergTableConfig> icebergTables) {
        this(defaultFormat, commitInterval, icebergTables, MaintenanceConfig.DEFAULTS);
    }

    /** The Iceberg settings of {@code table}, or null when it is a Hive table. */
    public IcebergTableConfig iceberg(String table) {
        return icebergTables.get(table);
    }

    /**
     * One Iceberg table.
     *
     * @param table         table name
     * @param partitionSpec partition fields in order, e.g. {@code hour(claim_ts)}; default {@code hour(<event-time>)}
     * @param eventTime     the column holding the rows' event time (compaction sorts by it and judges a partition
     *                      closed by it), or null when unknown
     */
    public record IcebergTableConfig(String table, List<PartitionField> partitionSpec, String eventTime) {

        public IcebergTableConfig(String table, List<PartitionField> partitionSpec) {
            this(table, partitionSpec, null);
        }
    }

    /**
     * One partition field: a transform of a source column.
     *
     * @param transform hour, day, identity or bucket
     * @param source    the source column
     * @param buckets   bucket count (bucket only, else 0)
     */
    public record PartitionField(String transform, String source, int buckets) {
        @Override
        public String toString() {
            return "bucket".equals(transform) ? "bucket(" + buckets + ", " + source + ")"
                    : transform + "(" + source + ")";
        }
    }
}
