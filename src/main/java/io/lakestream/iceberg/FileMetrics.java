package io.lakestream.iceberg;

import io.lakestream.sink.FileStatistics;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.mapping.MappingUtil;
import org.apache.iceberg.types.Types;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;

/**
 * A file's Iceberg metrics carried by its landing event ({@link FileStatistics}): computed by the sink from the
 * footer its writer has in memory (the same conversion as a footer read back, {@link ParquetFooter#metrics}), keyed
 * by column name because the table's field IDs are the catalog's; turned back into {@link Metrics} by the committer
 * with the IDs of the table it commits to.
 *
 * <p>The sink uses the default metrics configuration (bounds of every column, truncated to 16 characters), which is
 * that of the tables lakestream creates; a {@code write.metadata.metrics.*} property set on a table later is not
 * applied to files whose events carry their metrics.
 */
final class FileMetrics {

    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final Base64.Decoder B64_DECODE = Base64.getDecoder();

    private FileMetrics() {
    }

    /** The statistics of a Parquet file lakestream wrote, from its writer's footer. */
    static FileStatistics of(ParquetMetadata footer, long length, String location) {
        ParquetFooter file = ParquetFooter.of(footer, length, location);
        // The file's own schema with IDs of its own, only to name the columns the metrics are computed for.
        org.apache.iceberg.Schema schema = IcebergSchemas.fromAvro(file.avroSchema());
        Metrics m = file.metrics(MetricsConfig.getDefault(), MappingUtil.create(schema), schema);
        TreeSet<Integer> ids = new TreeSet<>();
        for (Map<Integer, ?> map : new Map[] {m.columnSizes(), m.valueCounts(), m.nullValueCounts(),
                m.nanValueCounts(), m.lowerBounds(), m.upperBounds()}) {
            if (map != null) {
                ids.addAll(map.keySet());
            }
        }
        Map<String, FileStatistics.Column> columns = new TreeMap<>();
        for (int id : ids) {
            columns.put(schema.findColumnName(id), new FileStatistics.Column(get(m.columnSizes(), id),
                    get(m.valueCounts(), id), get(m.nullValueCounts(), id), get(m.nanValueCounts(), id),
                    base64(get(m.lowerBounds(), id)), base64(get(m.upperBounds(), id))));
        }
        return new FileStatistics(length, file.avroSchema().toString(), columns);
    }

    /** The metrics of a file of {@code rows} rows in the IDs of {@code table}'s schema. */
    static Metrics metrics(FileStatistics statistics, long rows, org.apache.iceberg.Schema table) {
        Map<Integer, Long> sizes = new HashMap<>();
        Map<Integer, Long> values = new HashMap<>();
        Map<Integer, Long> nulls = new HashMap<>();
        Map<Integer, Long> nans = new HashMap<>();
        Map<Integer, ByteBuffer> lower = new HashMap<>();
        Map<Integer, ByteBuffer> upper = new HashMap<>();
        statistics.columns().forEach((name, c) -> {
            Types.NestedField field = table.findField(name);
            if (field == null) {
                return;
            }
            int id = field.fieldId();
            put(sizes, id, c.size(), Function.identity());
            put(values, id, c.values(), Function.identity());
            put(nulls, id, c.nulls(), Function.identity());
            put(nans, id, c.nans(), Function.identity());
            put(lower, id, c.lower(), b -> ByteBuffer.wrap(B64_DECODE.decode(b)));
            put(upper, id, c.upper(), b -> ByteBuffer.wrap(B64_DECODE.decode(b)));
        });
        return new Metrics(rows, sizes, values, nulls, nans, lower, upper);
    }

    private static <T> T get(Map<Integer, T> map, int id) {
        return map == null ? null : map.get(id);
    }

    private static String base64(ByteBuffer bound) {
        if (bound == null) {
            return null;
        }
        ByteBuffer b = bound.duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return B64.encodeToString(bytes);
    }

    private static <S, T> void put(Map<Integer, T> map, int id, S value, Function<S, T> convert) {
        if (value != null) {
            map.put(id, convert.apply(value));
        }
    }
}
