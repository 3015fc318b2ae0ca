package io.lakestream.sink.format;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;

/** Avro object container file (deflate), the table schema embedded. */
final class AvroFormatWriter implements FormatWriter {

    @Override
    public byte[] write(Schema schema, List<GenericRecord> rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataFileWriter<GenericRecord> writer =
                     new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(schema, LogicalData.MODEL))) {
            writer.setCodec(CodecFactory.deflateCodec(CodecFactory.DEFAULT_DEFLATE_LEVEL));
            writer.create(schema, out);
            for (GenericRecord row : rows) {
                writer.append(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write Avro container file", e);
        }
        return out.toByteArray();
    }
}
