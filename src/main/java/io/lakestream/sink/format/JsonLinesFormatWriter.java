package io.lakestream.sink.format;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/** One JSON object per line (UTF-8, '\n'); decimals are written as plain JSON numbers so no digit is lost. */
final class JsonLinesFormatWriter implements FormatWriter {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .build();

    @Override
    public byte[] write(Schema schema, List<GenericRecord> rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (GenericRecord row : rows) {
                MAPPER.writeValue(out, JsonValues.record(row));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON lines", e);
        }
        return out.toByteArray();
    }
}
