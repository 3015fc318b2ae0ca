package io.lakestream.registry;

import java.util.Optional;
import java.util.UUID;
import org.apache.avro.Schema;

/**
 * A registry held in memory, for tests and the embedded demo: same wire format and the same deterministic schema
 * version ids as {@link LocalFolderRegistry}; a schema version is only known to the instance that registered it.
 */
public final class InMemoryRegistry extends WireFormatRegistry {

    public InMemoryRegistry() {
    }

    /** The schema version id records of {@code schema} written to {@code topic} carry (registers it if new). */
    public UUID schemaVersionId(String topic, Schema schema) {
        return register(topic, schema);
    }

    /** The writer schema registered under {@code id}, if any. */
    public Optional<Schema> schemaVersion(UUID id) {
        try {
            return Optional.of(schema("", id));
        } catch (org.apache.kafka.common.errors.SerializationException e) {
            return Optional.empty();
        }
    }

    @Override
    protected void store(String schemaName, UUID id, Schema schema) {
        // held by the parent's map only
    }

    @Override
    protected Optional<Schema> load(String schemaName, UUID id) {
        return Optional.empty();
    }
}
