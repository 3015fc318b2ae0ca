package io.lakestream.sink;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * What a table committer needs to know of a landed Parquet file without reading it back, taken from the footer the
 * writer held in memory: its length, the Avro schema it was written in, and per-column metrics in Iceberg's terms.
 * Columns are keyed by name (leaf columns, dotted as in an Iceberg schema: {@code policy.number},
 * {@code tags.element}); the committer maps names to the field IDs its catalog assigned.
 *
 * @param sizeBytes the file's length in bytes
 * @param schema    the Avro schema the file was written in (JSON), from which the committer creates or evolves the
 *                  table
 * @param columns   leaf column name → metrics
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FileStatistics(long sizeBytes, String schema, Map<String, Column> columns) {

    /**
     * One column's metrics; a null means unknown. Bounds are base64 of Iceberg's single-value binary form (timestamp
     * bounds in microseconds).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Column(Long size, Long values, Long nulls, Long nans, String lower, String upper) {
    }
}
