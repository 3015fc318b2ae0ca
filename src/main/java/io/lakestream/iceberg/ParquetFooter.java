package io.lakestream.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.SeekableInputStream;
import org.apache.iceberg.mapping.NameMapping;
import org.apache.iceberg.parquet.ParquetUtil;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;

/**
 * What the committer needs from a landed Parquet file, read from its footer once: the Avro schema the sink wrote it
 * in (columns to add before the file is committed) and Iceberg column metrics (bounds, counts) for scan planning.
 *
 * <p>The sinks write Avro {@code timestamp-millis} as Parquet {@code TIMESTAMP(MILLIS)}, which Iceberg's readers
 * read, but Iceberg keeps timestamp (and time) bounds in microseconds and its footer metrics copy the file's raw
 * minimum and maximum: left as they are, a bound of 2024 reads as January 1970 and every engine prunes the file
 * from a query that filters on the column. The bounds of such columns are scaled to microseconds here.
 */
record ParquetFooter(Schema avroSchema, long length, ParquetMetadata metadata) {

    static ParquetFooter read(InputFile file) {
        try (ParquetFileReader reader = ParquetFileReader.open(new Adapter(file))) {
            return of(reader.getFooter(), file.getLength(), file.location());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Parquet footer of " + file.location(), e);
        }
    }

    /** The footer of a file of {@code length} bytes at {@code location}, as its writer or a reader has it. */
    static ParquetFooter of(ParquetMetadata metadata, long length, String location) {
        String avro = metadata.getFileMetaData().getKeyValueMetaData().get("parquet.avro.schema");
        if (avro == null) {
            throw new IllegalStateException(location + " was not written by lakestream (no Avro schema)");
        }
        return new ParquetFooter(new Schema.Parser().parse(avro), length, metadata);
    }

    /** One key-value entry of a Parquet file's footer, or null. */
    static String keyValue(InputFile file, String key) {
        try (ParquetFileReader reader = ParquetFileReader.open(new Adapter(file))) {
            return reader.getFooter().getFileMetaData().getKeyValueMetaData().get(key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Parquet footer of " + file.location(), e);
        }
    }

    Metrics metrics(MetricsConfig config, NameMapping mapping, org.apache.iceberg.Schema schema) {
        Metrics raw = ParquetUtil.footerMetrics(metadata, Stream.empty(), config, mapping);
        if (raw.lowerBounds() == null && raw.upperBounds() == null) {
            return raw;
        }
        Map<Integer, ByteBuffer> lower = raw.lowerBounds() == null ? null : new HashMap<>(raw.lowerBounds());
        Map<Integer, ByteBuffer> upper = raw.upperBounds() == null ? null : new HashMap<>(raw.upperBounds());
        MessageType file = metadata.getFileMetaData().getSchema();
        for (Types.NestedField field : TypeUtil.indexById(schema.asStruct()).values()) {
            Type.TypeID id = field.type().typeId();
            if (id != Type.TypeID.TIMESTAMP && id != Type.TypeID.TIME) {
                continue;
            }
            String[] path = schema.findColumnName(field.fieldId()).split("\\.");
            if (!file.containsPath(path) || !file.getType(path).isPrimitive()) {
                continue;
            }
            LogicalTypeAnnotation logical = file.getType(path).asPrimitiveType().getLogicalTypeAnnotation();
            boolean millis = logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation t
                    && t.getUnit() == LogicalTypeAnnotation.TimeUnit.MILLIS
                    || logical instanceof LogicalTypeAnnotation.TimeLogicalTypeAnnotation t2
                    && t2.getUnit() == LogicalTypeAnnotation.TimeUnit.MILLIS;
            if (millis) {
                rescale(lower, field.fieldId(), file.getType(path).asPrimitiveType());
                rescale(upper, field.fieldId(), file.getType(path).asPrimitiveType());
            }
        }
        return new Metrics(raw.recordCount(), raw.columnSizes(), raw.valueCounts(), raw.nullValueCounts(),
                raw.nanValueCounts(), lower, upper);
    }

    /** A millisecond bound (INT64 timestamp, INT32 time) as Iceberg's microsecond long. */
    private static void rescale(Map<Integer, ByteBuffer> bounds, int fieldId, PrimitiveType type) {
        ByteBuffer bound = bounds == null ? null : bounds.get(fieldId);
        if (bound == null) {
            return;
        }
        ByteBuffer le = bound.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long millis = type.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT32 && le.remaining() == 4
                ? le.getInt(le.position()) : le.getLong(le.position());
        bounds.put(fieldId, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, millis * 1000));
    }

    private record Adapter(InputFile file) implements org.apache.parquet.io.InputFile {
        @Override
        public long getLength() {
            return file.getLength();
        }

        @Override
        public org.apache.parquet.io.SeekableInputStream newStream() {
            SeekableInputStream in = file.newStream();
            return new DelegatingSeekableInputStream(in) {
                @Override
                public long getPos() throws IOException {
                    return in.getPos();
                }

                @Override
                public void seek(long newPos) throws IOException {
                    in.seek(newPos);
                }
            };
        }
    }
}
