package io.lakestream.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
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

/**
 * What the committer needs from a landed Parquet file, read from its footer once: the Avro schema the sink wrote it
 * in (columns to add before the file is committed) and Iceberg column metrics (bounds, counts) for scan planning.
 */
record ParquetFooter(Schema avroSchema, long length, ParquetMetadata metadata) {

    static ParquetFooter read(InputFile file) {
        try (ParquetFileReader reader = ParquetFileReader.open(new Adapter(file))) {
            ParquetMetadata metadata = reader.getFooter();
            String avro = metadata.getFileMetaData().getKeyValueMetaData().get("parquet.avro.schema");
            if (avro == null) {
                throw new IllegalStateException(file.location() + " was not written by lakestream (no Avro schema)");
            }
            return new ParquetFooter(new Schema.Parser().parse(avro), file.getLength(), metadata);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Parquet footer of " + file.location(), e);
        }
    }

    Metrics metrics(MetricsConfig config, NameMapping mapping) {
        return MillisBounds.toMicros(ParquetUtil.footerMetrics(metadata, Stream.empty(), config, mapping),
                metadata.getFileMetaData().getSchema(), mapping);
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
