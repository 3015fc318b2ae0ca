package io.lakestream.sink.format;

import io.lakestream.config.FileFormat;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Turns the rows of one object into file bytes. Rows are all of {@code schema} (the table schema: data fields
 * plus lineage columns). Values may be in raw Avro form (decimal as bytes, timestamps as long) or in the
 * logical form of Avro's conversions (BigDecimal, Instant, LocalDate); every writer accepts both.
 */
public interface FormatWriter {

    byte[] write(Schema schema, List<GenericRecord> rows);

    /** {@link #write}, with the file's footer where the format has one. */
    default WrittenFile writeFile(Schema schema, List<GenericRecord> rows) {
        return new WrittenFile(write(schema, rows), null);
    }

    /**
     * Whether {@link #writeBinary} writes rows of {@code table} (built from {@code data}); decided once per schema.
     * Only Parquet does, and only for the types {@link AvroBinaryWriteSupport} covers.
     */
    default boolean writesBinary(Schema table, Schema data) {
        return false;
    }

    /**
     * The file {@link #writeFile} writes for the same rows, from rows still in Avro binary encoded with
     * {@code data} (the writer schema of every row), which skips decoding them into Avro datums.
     */
    default WrittenFile writeBinary(Schema table, Schema data, List<? extends BinaryRow> rows) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " writes Avro datums only");
    }

    /**
     * @param compression parquet codec (snappy, zstd, gzip, none); ignored by the other formats
     */
    static FormatWriter of(FileFormat format, String compression) {
        return switch (format) {
            case PARQUET -> new ParquetFormatWriter(compression);
            case AVRO -> new AvroFormatWriter();
            case CSV -> new CsvFormatWriter();
            case JSONL -> new JsonLinesFormatWriter();
        };
    }
}
