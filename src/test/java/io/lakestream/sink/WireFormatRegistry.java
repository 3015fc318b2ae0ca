package io.lakestream.sink;

import io.lakestream.registry.RegistrySerdes;
import io.lakestream.sink.format.LogicalData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A registry in memory writing the Glue Schema Registry wire format (0x03, 0x00 = uncompressed, 16-byte schema
 * version id, Avro binary). Like the GSR deserializer, it reads records in raw Avro form (decimal as bytes,
 * timestamps as long). Share one instance between test drivers, as instances share one real registry.
 */
public final class WireFormatRegistry implements RegistrySerdes {

    private final Map<Schema, UUID> ids = new ConcurrentHashMap<>();
    private final Map<UUID, Schema> schemas = new ConcurrentHashMap<>();

    @Override
    public Serializer<GenericRecord> serializer() {
        return (topic, record) -> {
            if (record == null) {
                return null;
            }
            UUID id = ids.computeIfAbsent(record.getSchema(), s -> {
                UUID fresh = UUID.nameUUIDFromBytes(s.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                schemas.put(fresh, s);
                return fresh;
            });
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(3);
            out.write(0);
            out.writeBytes(ByteBuffer.allocate(16).putLong(id.getMostSignificantBits())
                    .putLong(id.getLeastSignificantBits()).array());
            try {
                BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
                new GenericDatumWriter<GenericRecord>(record.getSchema(), LogicalData.MODEL).write(record, encoder);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        };
    }

    @Override
    public Deserializer<GenericRecord> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length < 18 || bytes[0] != 3 || bytes[1] != 0) {
                throw new IllegalArgumentException("not GSR wire format: " + Arrays.toString(
                        Arrays.copyOf(bytes, Math.min(bytes.length, 18))));
            }
            ByteBuffer header = ByteBuffer.wrap(bytes, 2, 16);
            UUID id = new UUID(header.getLong(), header.getLong());
            Schema schema = schemas.get(id);
            if (schema == null) {
                throw new IllegalStateException("unknown schema version " + id);
            }
            try {
                return new GenericDatumReader<GenericRecord>(schema)
                        .read(null, DecoderFactory.get().binaryDecoder(bytes, 18, bytes.length - 18, null));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
}
