package io.lakestream.protect;

import io.lakestream.config.ProtectionConfig;
import io.lakestream.config.RecordSchemas;
import org.apache.avro.Schema;

/**
 * The schema of protected records: what is registered, written to the normalized topic and cataloged. A hashed or
 * masked field becomes a string (nullable if it was); a dropped field leaves the schema (so no reader, catalog or
 * file ever shows the column); a truncated timestamp keeps its type. Each protected field carries the property
 * {@value #PROPERTY} naming its method, so a reader of the registered schema sees what was done.
 */
public final class ProtectedSchema {

    public static final String PROPERTY = RecordSchemas.PROTECTION_PROPERTY;

    private ProtectedSchema() {
    }

    /** @return {@code source} itself when nothing is protected (the registered schema does not change) */
    public static Schema of(Schema source, ProtectionConfig protection) {
        return RecordSchemas.afterProtection(source, protection);
    }
}
