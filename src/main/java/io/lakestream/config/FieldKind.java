package io.lakestream.config;

import java.util.List;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/** The kind of value a top-level field holds, seen through a nullable union: what protection and alert rules check. */
public enum FieldKind {
    STRING, ENUM, INTEGER, FLOATING, DECIMAL, TIMESTAMP_MILLIS, TIMESTAMP_MICROS, DATE, BOOLEAN, OTHER;

    public static FieldKind of(Schema type) {
        Schema t = nonNull(type);
        if (t == null) {
            return OTHER;
        }
        LogicalType logical = t.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal) {
            return DECIMAL;
        }
        if (logical instanceof LogicalTypes.TimestampMillis) {
            return TIMESTAMP_MILLIS;
        }
        if (logical instanceof LogicalTypes.TimestampMicros) {
            return TIMESTAMP_MICROS;
        }
        if (logical instanceof LogicalTypes.Date) {
            return DATE;
        }
        if (logical != null) {
            return OTHER;
        }
        return switch (t.getType()) {
            case STRING -> STRING;
            case ENUM -> ENUM;
            case INT, LONG -> INTEGER;
            case FLOAT, DOUBLE -> FLOATING;
            case BOOLEAN -> BOOLEAN;
            default -> OTHER;
        };
    }

    /** The one non-null branch of a nullable union, the type itself when not a union, null for other unions. */
    public static Schema nonNull(Schema type) {
        if (type.getType() != Schema.Type.UNION) {
            return type;
        }
        List<Schema> branches = type.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
        return branches.size() == 1 ? branches.get(0) : null;
    }

    public static boolean nullable(Schema type) {
        return type.getType() == Schema.Type.UNION
                && type.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL);
    }

    public boolean numeric() {
        return this == INTEGER || this == FLOATING || this == DECIMAL;
    }

    public boolean temporal() {
        return this == TIMESTAMP_MILLIS || this == TIMESTAMP_MICROS || this == DATE;
    }
}
