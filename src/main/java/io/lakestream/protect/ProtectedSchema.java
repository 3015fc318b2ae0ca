package io.lakestream.protect;

import io.lakestream.config.FieldKind;
import io.lakestream.config.ProtectionConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;

/**
 * The schema of protected records: what is registered, written to the normalized topic and cataloged. A hashed or
 * masked field becomes a string (nullable if it was); a dropped field leaves the schema (so no reader, catalog or
 * file ever shows the column); a truncated timestamp keeps its type. Each protected field carries the property
 * {@value #PROPERTY} naming its method, so a reader of the registered schema sees what was done.
 */
public final class ProtectedSchema {

    public static final String PROPERTY = "lakestream.protection";

    private ProtectedSchema() {
    }

    /** @return {@code source} itself when nothing is protected (the registered schema does not change) */
    public static Schema of(Schema source, ProtectionConfig protection) {
        if (protection.isEmpty()) {
            return source;
        }
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : source.getFields()) {
            ProtectionConfig.FieldRule rule = protection.fields().get(f.name());
            if (rule == null) {
                fields.add(new Schema.Field(f, f.schema()));
                continue;
            }
            Schema.Field out = switch (rule.method()) {
                case DROP -> null;
                case TRUNCATE_TIMESTAMP -> new Schema.Field(f, f.schema());
                case HASH, MASK -> text(f);
            };
            if (out != null) {
                out.addProp(PROPERTY, rule.method().name().toLowerCase(Locale.ROOT).replace('_', '-'));
                fields.add(out);
            }
        }
        Schema out = Schema.createRecord(source.getName(), source.getDoc(), source.getNamespace(), false, fields);
        source.getObjectProps().forEach(out::addProp);
        return out;
    }

    private static Schema.Field text(Schema.Field f) {
        Schema string = Schema.create(Schema.Type.STRING);
        if (FieldKind.nullable(f.schema())) {
            boolean nullDefault = f.hasDefaultValue() && f.defaultVal() == JsonProperties.NULL_VALUE;
            return new Schema.Field(f.name(), Schema.createUnion(Schema.create(Schema.Type.NULL), string), f.doc(),
                    nullDefault ? JsonProperties.NULL_VALUE : null);
        }
        return new Schema.Field(f.name(), string, f.doc(), (Object) null);
    }
}
