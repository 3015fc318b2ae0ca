package io.lakestream.registry;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The schema registry port: value serializers that register the writer schema and write the Glue Schema
 * Registry wire format (0x03, compression byte, 16-byte schema version id, Avro binary body), and the
 * matching deserializer. Production uses the GSR serde library; local and in-memory registries write
 * the same bytes.
 */
public interface RegistrySerdes extends AutoCloseable {

    org.apache.kafka.common.serialization.Serializer<GenericRecord> serializer();

    org.apache.kafka.common.serialization.Deserializer<GenericRecord> deserializer();

    /**
     * The registered versions of a schema (named after its topic), oldest first, so that a changed schema can be
     * checked at start against what is registered; empty when there is none or the registry cannot tell.
     */
    default java.util.List<org.apache.avro.Schema> versions(String schemaName) {
        return java.util.List.of();
    }

    default Serde<GenericRecord> serde() {
        return Serdes.serdeFrom(serializer(), deserializer());
    }

    @Override
    default void close() {
    }
}
