package io.lakestream.config;

import io.lakestream.expr.Expression;
import io.lakestream.expr.InvalidExpressionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;

/**
 * The schemas a pipeline's records take after the normalize stage: protected ({@link #afterProtection}), then
 * extended by the derived columns ({@link #records}). The records schema is what is registered, written to the
 * normalized topic, landed and cataloged, and what filters, measures and alert rules read: no expression sees a
 * clear value of a protected field.
 */
public final class RecordSchemas {

    /** The property a protected field carries, naming its method (hash, mask, drop, truncate-timestamp). */
    public static final String PROTECTION_PROPERTY = "lakestream.protection";
    /** The property a derived column carries, holding its expression. */
    public static final String EXPRESSION_PROPERTY = "lakestream.expression";

    private RecordSchemas() {
    }

    /**
     * A hashed or masked field becomes a string (nullable if it was); a dropped field leaves the schema; a truncated
     * timestamp keeps its type. {@code source} itself when nothing is protected.
     */
    public static Schema afterProtection(Schema source, ProtectionConfig protection) {
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
                out.addProp(PROTECTION_PROPERTY, rule.method().name().toLowerCase(Locale.ROOT).replace('_', '-'));
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

    /**
     * The records schema of a validated pipeline: protected, then one field per derived column, typed from its
     * expression (nullable ones default to null) and carrying it in {@value #EXPRESSION_PROPERTY}.
     *
     * @param source the pipeline's schema as configured
     */
    public static Schema records(Schema source, PipelineConfig pipeline) {
        Schema schema = afterProtection(source, pipeline.protection());
        for (PipelineConfig.DerivedColumn column : pipeline.derive()) {
            try {
                schema = withColumn(schema, column.name(), Expression.compile(schema, column.expr()));
            } catch (InvalidExpressionException e) {
                throw new IllegalArgumentException("derived column " + column.name() + ": " + e.getMessage(), e);
            }
        }
        return schema;
    }

    /** {@code schema} with one more field, {@code name}, of the expression's type. */
    static Schema withColumn(Schema schema, String name, Expression expr) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : schema.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        Schema type = expr.avroType();
        Schema.Field column = type.isUnion() ? new Schema.Field(name, type, null, JsonProperties.NULL_VALUE)
                : new Schema.Field(name, type, null, (Object) null);
        column.addProp(EXPRESSION_PROPERTY, expr.text());
        fields.add(column);
        Schema out = Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
        schema.getObjectProps().forEach(out::addProp);
        return out;
    }
}
