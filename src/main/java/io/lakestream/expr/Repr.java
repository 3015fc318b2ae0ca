package io.lakestream.expr;

import org.apache.calcite.rel.type.RelDataType;

/**
 * How a SQL type's values are held while an expression runs: BOOLEAN as Boolean, every integer type as Long,
 * DECIMAL as BigDecimal (at the type's scale), REAL/DOUBLE as Double, CHAR/VARCHAR as String, DATE as Integer days
 * since 1970-01-01, TIMESTAMP as Long microseconds since 1970-01-01T00:00:00 (UTC for Avro timestamps), ROW as the
 * nested Avro record.
 */
enum Repr {
    BOOLEAN, LONG, DECIMAL, DOUBLE, STRING, DATE, TIMESTAMP, ROW, OTHER;

    static Repr of(RelDataType type) {
        return switch (type.getSqlTypeName()) {
            case BOOLEAN -> BOOLEAN;
            case TINYINT, SMALLINT, INTEGER, BIGINT -> LONG;
            case DECIMAL -> DECIMAL;
            case REAL, FLOAT, DOUBLE -> DOUBLE;
            case CHAR, VARCHAR -> STRING;
            case DATE -> DATE;
            case TIMESTAMP -> TIMESTAMP;
            case ROW -> ROW;
            default -> OTHER;
        };
    }

    boolean numeric() {
        return this == LONG || this == DECIMAL || this == DOUBLE;
    }
}
