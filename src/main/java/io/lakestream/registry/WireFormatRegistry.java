package io.lakestream.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Shared body of the registries that keep schema versions themselves: GSR wire format, schema name = topic name
 * (as the GSR serde does by default), and a schema version id derived from (schema name, schema text) so that
 * every process computes the same id for the same schema without coordinating.
 */
abstract class WireFormatRegistry implements RegistrySerdes {

    private final Compatibility compatibility;

    private final Map<UUID, Schema> versions = new ConcurrentHashMap<>();
    private final Map<String, UUID> idsBySchemaNameAndText = new ConcurrentHashMap<>();
    /** Per (schema name, schema): its version id and a writer, so the hot path neither renders nor re-resolves. */
    private final Map<Writing, Writer> writers = new ConcurrentHashMap<>();
    private final Map<UUID, GenericDatumReader<GenericRecord>> readers = new ConcurrentHashMap<>();

    private record Writing(String schemaName, Schema schema) {
    }

    private record Writer(UUID id, GenericDatumWriter<GenericRecord> datumWriter) {
    }

    /** @param compatibility checked before a new version of a schema is stored, as Glue checks it */
    WireFormatRegistry(Compatibility compatibility) {
        this.compatibility = compatibility;
    }

    /** Called once per new (schema name, schema) pair before its id is first used. */
    protected abstract void store(String schemaName, UUID id, Schema schema);

    /** Looks up a schema version this process has not seen, e.g. one written by another process. */
    protected abstract Optional<Schema> load(String schemaName, UUID id);

    static UUID versionId(String schemaName, Schema schema) {
        return UUID.nameUUIDFromBytes((schemaName + '\n' + schema.toString()).getBytes(StandardCharsets.UTF_8));
    }

    UUID register(String schemaName, Schema schema) {
        return idsBySchemaNameAndText.computeIfAbsent(schemaName + '\n' + schema, k -> {
            UUID id = versionId(schemaName, schema);
            compatibility.violation(schemaName, versions(schemaName), schema).ifPresent(problem -> {
                throw new SerializationException(problem + " (registry.compatibility: " + compatibility + ")");
            });
            store(schemaName, id, schema);
            versions.put(id, schema);
            return id;
        });
    }

    Schema schema(String schemaName, UUID id) {
        Schema known = versions.get(id);
        if (known != null) {
            return known;
        }
        Schema loaded = load(schemaName, id).orElseThrow(() -> new SerializationException(
                "unknown schema version " + id + " for schema " + schemaName));
        versions.put(id, loaded);
        return loaded;
    }

    @Override
    public Serializer<GenericRecord> serializer() {
        return (topic, record) -> {
            if (record == null) {
                return null;
            }
            Writer writer = writers.computeIfAbsent(new Writing(topic, record.getSchema()), w -> new Writer(
                    register(w.schemaName(), w.schema()), new GenericDatumWriter<>(w.schema(), GenericData.get())));
            ByteArrayOutputStream body = new ByteArrayOutputStream(256);
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(body, null);
            try {
                writer.datumWriter().write(record, encoder);
                encoder.flush();
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("cannot write record of schema " + record.getSchema().getFullName()
                        + " for topic " + topic + ": " + e.getMessage(), e);
            }
            return GsrWireFormat.encode(writer.id(), body.toByteArray());
        };
    }

    @Override
    public Deserializer<GenericRecord> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            GsrWireFormat.Decoded decoded = GsrWireFormat.decode(bytes);
            GenericDatumReader<GenericRecord> reader = readers.computeIfAbsent(decoded.schemaVersionId(), id -> {
                Schema writer = schema(topic, id);
                return new GenericDatumReader<>(writer, writer, GenericData.get());
            });
            try {
                return reader.read(null, DecoderFactory.get().binaryDecoder(decoded.body(), null));
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("cannot read record of schema version " + decoded.schemaVersionId()
                        + " from topic " + topic + ": " + e.getMessage(), e);
            }
        };
    }
}
