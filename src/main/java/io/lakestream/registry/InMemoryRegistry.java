package io.lakestream.registry;

import java.util.Optional;
import java.util.UUID;
import org.apache.avro.Schema;

/**
 * A registry held in memory, for tests and the embedded demo: same wire format and the same deterministic schema
 * version ids as {@link LocalFolderRegistry}; a schema version is only known to the instance that registered it.
 */
public final class InMemoryRegistry extends WireFormatRegistry {

    private final java.util.Map<String, java.util.List<Schema>> history = new java.util.concurrent.ConcurrentHashMap<>();

    /** Enforcing BACKWARD compatibility, the default of {@code registry.compatibility}. */
    public InMemoryRegistry() {
        this(Compatibility.BACKWARD);
    }

    public InMemoryRegistry(Compatibility compatibility) {
        super(compatibility);
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
        history.computeIfAbsent(schemaName, n -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(schema);
    }

    @Override
    public java.util.List<Schema> versions(String schemaName) {
        return java.util.List.copyOf(history.getOrDefault(schemaName, java.util.List.of()));
    }

    @Override
    protected Optional<Schema> load(String schemaName, UUID id) {
        return Optional.empty();
    }
}
