package io.lakestream.config;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/** Checks that fields named in the config exist in the pipeline's Avro schema with a type fit for their use. */
final class SchemaFields {

    enum Use {
        KEY("a key", "a non-null string, int, long, boolean, enum, date, timestamp or decimal"),
        EVENT_TIME("the event time", "a non-null long with logicalType timestamp-millis or timestamp-micros"),
        SUM("sum or avg", "int, long, float, double or decimal"),
        MIN_MAX("min or max", "int, long, float, double, decimal, date, timestamp or string"),
        COUNT_DISTINCT("count_distinct", "int, long, float, double, decimal, date, timestamp, string or enum");

        private final String role;
        private final String allowed;

        Use(String role, String allowed) {
            this.role = role;
            this.allowed = allowed;
        }
    }

    private final Schema schema;

    SchemaFields(Schema schema) {
        this.schema = schema;
    }

    /** Reports at {@code path} unless {@code name} is a top-level field fit for {@code use}. */
    void check(YamlSection at, String key, String name, Use use) {
        Schema.Field field = schema.getField(name);
        if (field == null) {
            at.problem(key, missing(name));
            return;
        }
        Schema type = field.schema();
        boolean nullable = type.getType() == Schema.Type.UNION;
        if (nullable && (use == Use.SUM || use == Use.MIN_MAX || use == Use.COUNT_DISTINCT)) {
            type = nonNull(type); // measures skip nulls
        }
        if (type == null || !fits(type, use)) {
            at.problem(key, "field \"" + name + "\" cannot be " + use.role + ": must be " + use.allowed + ", was "
                    + describe(field.schema()));
        }
    }

    boolean has(String name) {
        return schema.getField(name) != null;
    }

    String missing(String name) {
        Set<String> names = schema.getFields().stream().map(Schema.Field::name)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        String hint = YamlSection.closest(name, names).map(n -> "; did you mean \"" + n + "\"?").orElse("");
        return "no field \"" + name + "\" in schema " + schema.getFullName() + hint + " (fields: "
                + String.join(", ", names) + ")";
    }

    /** Top-level fields a source must provide: no default and not nullable. */
    List<String> requiredFields() {
        return schema.getFields().stream()
                .filter(f -> !f.hasDefaultValue() && f.schema().getType() != Schema.Type.UNION
                        && f.schema().getType() != Schema.Type.NULL)
                .map(Schema.Field::name).toList();
    }

    private static Schema nonNull(Schema union) {
        List<Schema> branches = union.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
        return branches.size() == 1 ? branches.get(0) : null;
    }

    private static boolean fits(Schema type, Use use) {
        LogicalType logical = type.getLogicalType();
        boolean decimal = logical instanceof LogicalTypes.Decimal;
        boolean timestamp = logical instanceof LogicalTypes.TimestampMillis
                || logical instanceof LogicalTypes.TimestampMicros;
        boolean date = logical instanceof LogicalTypes.Date;
        Schema.Type t = type.getType();
        boolean number = t == Schema.Type.INT || t == Schema.Type.LONG || t == Schema.Type.FLOAT
                || t == Schema.Type.DOUBLE;
        return switch (use) {
            case KEY -> decimal || (logical == null || timestamp || date) && (t == Schema.Type.STRING
                    || t == Schema.Type.INT || t == Schema.Type.LONG || t == Schema.Type.BOOLEAN
                    || t == Schema.Type.ENUM);
            case EVENT_TIME -> timestamp && t == Schema.Type.LONG;
            case SUM -> decimal || number && !timestamp && !date;
            case MIN_MAX -> decimal || number || t == Schema.Type.STRING;
            case COUNT_DISTINCT -> decimal || number || t == Schema.Type.STRING || t == Schema.Type.ENUM;
        };
    }

    private static String describe(Schema type) {
        if (type.getType() == Schema.Type.UNION) {
            return type.getTypes().stream().map(SchemaFields::describe).collect(Collectors.joining(", ", "[", "]"));
        }
        LogicalType logical = type.getLogicalType();
        return logical == null ? type.getType().getName() : type.getType().getName() + " (" + logical.getName() + ")";
    }
}
