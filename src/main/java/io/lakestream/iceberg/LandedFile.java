package io.lakestream.iceberg;

import io.lakestream.sink.FileStatistics;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.Table;
import org.apache.iceberg.mapping.MappingUtil;

/**
 * What the committer knows of a landed file: from the statistics its landing event carries, or, for an event
 * without (an object a replay found written, or an event of an earlier version), from its footer read back.
 */
record LandedFile(Schema avroSchema, long length, FileStatistics statistics, ParquetFooter footer) {

    /** From the event's statistics; {@code schemas} shares one parsed schema among the events that carry it. */
    static LandedFile of(FileStatistics statistics, Map<String, Schema> schemas) {
        return new LandedFile(schemas.computeIfAbsent(statistics.schema(), s -> new Schema.Parser().parse(s)),
                statistics.sizeBytes(), statistics, null);
    }

    static LandedFile of(ParquetFooter footer) {
        return new LandedFile(footer.avroSchema(), footer.length(), null, footer);
    }

    /** The file's metrics in the IDs of {@code table}'s current schema. */
    Metrics metrics(Table table, long rows) {
        return statistics != null ? FileMetrics.metrics(statistics, rows, table.schema())
                : footer.metrics(MetricsConfig.forTable(table), MappingUtil.create(table.schema()), table.schema());
    }
}
