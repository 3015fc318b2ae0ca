package io.lakestream.iceberg;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.mapping.MappedField;
import org.apache.iceberg.mapping.NameMapping;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;

/**
 * Iceberg keeps timestamp bounds in microseconds, but its footer metrics copy the statistics of a Parquet
 * {@code TIMESTAMP(MILLIS)} column (what the sinks write for Avro {@code timestamp-millis}) unconverted. Left as is, a
 * file's {@code claim_ts} bounds read as January 1970 and every engine prunes the file from a scan filtered on time
 * (Athena, Spark and Trino would answer "no rows"). This scales those bounds to microseconds.
 */
final class MillisBounds {

    private MillisBounds() {
    }

    static Metrics toMicros(Metrics metrics, MessageType fileSchema, NameMapping mapping) {
        Set<Integer> millisFields = new TreeSet<>();
        for (ColumnDescriptor column : fileSchema.getColumns()) {
            if (column.getPrimitiveType().getLogicalTypeAnnotation()
                    instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts
                    && ts.getUnit() == LogicalTypeAnnotation.TimeUnit.MILLIS) {
                MappedField field = mapping.find(column.getPath());
                if (field != null && field.id() != null) {
                    millisFields.add(field.id());
                }
            }
        }
        if (millisFields.isEmpty()) {
            return metrics;
        }
        return new Metrics(metrics.recordCount(), metrics.columnSizes(), metrics.valueCounts(),
                metrics.nullValueCounts(), metrics.nanValueCounts(), scaled(metrics.lowerBounds(), millisFields),
                scaled(metrics.upperBounds(), millisFields));
    }

    private static Map<Integer, ByteBuffer> scaled(Map<Integer, ByteBuffer> bounds, Set<Integer> fields) {
        if (bounds == null) {
            return null;
        }
        Map<Integer, ByteBuffer> out = new HashMap<>(bounds);
        for (Integer id : fields) {
            ByteBuffer millis = bounds.get(id);
            if (millis != null) {
                long value = Conversions.fromByteBuffer(Types.LongType.get(), millis);
                out.put(id, Conversions.toByteBuffer(Types.LongType.get(), Math.multiplyExact(value, 1000L)));
            }
        }
        return out;
    }
}
