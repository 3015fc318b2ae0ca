package io.lakestream.expr;

import java.util.List;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Avro types as SQL types and back. Readable in an expression: boolean, int (INTEGER), long (BIGINT), float (REAL),
 * double (DOUBLE), string and enum (VARCHAR), decimal(p, s) (DECIMAL(p, s)), date (DATE), timestamp-millis and
 * local-timestamp-millis (TIMESTAMP(3)), the micros ones (TIMESTAMP(6)), records (ROW, fields read as {@code a.b}),
 * each nullable when it is a union with null. Other fields (bytes, fixed, arrays, maps, times, unions of several
 * types) are not columns of an expression.
 */
final class AvroTypes {

    private AvroTypes() {
    }

    static RelDataType row(Schema record, RelDataTypeFactory types) {
        RelDataTypeFactory.Builder b = types.builder();
        for (Schema.Field f : record.getFields()) {
            RelDataType t = type(f.schema(), types);
            if (t != null) {
                b.add(f.name(), t);
            }
        }
        return b.build();
    }

    /** The SQL type of an Avro field's schema, or null when it cannot be read by an expression. */
    static RelDataType type(Schema schema, RelDataTypeFactory types) {
        Schema s = nonNull(schema);
        if (s == null) {
            return null;
        }
        RelDataType t = nonNullType(s, types);
        return t == null ? null : types.createTypeWithNullability(t, s != schema);
    }

    private static RelDataType nonNullType(Schema s, RelDataTypeFactory types) {
        LogicalType logical = s.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal d) {
            return types.createSqlType(SqlTypeName.DECIMAL, d.getPrecision(), d.getScale());
        }
        if (logical instanceof LogicalTypes.Date) {
            return types.createSqlType(SqlTypeName.DATE);
        }
        if (logical instanceof LogicalTypes.TimestampMillis || logical instanceof LogicalTypes.LocalTimestampMillis) {
            return types.createSqlType(SqlTypeName.TIMESTAMP, 3);
        }
        if (logical instanceof LogicalTypes.TimestampMicros || logical instanceof LogicalTypes.LocalTimestampMicros) {
            return types.createSqlType(SqlTypeName.TIMESTAMP, 6);
        }
        if (logical != null) {
            return null; // time-of-day, uuid on fixed, ...: not readable
        }
        return switch (s.getType()) {
            case BOOLEAN -> types.createSqlType(SqlTypeName.BOOLEAN);
            case INT -> types.createSqlType(SqlTypeName.INTEGER);
            case LONG -> types.createSqlType(SqlTypeName.BIGINT);
            case FLOAT -> types.createSqlType(SqlTypeName.REAL);
            case DOUBLE -> types.createSqlType(SqlTypeName.DOUBLE);
            case STRING, ENUM -> types.createSqlType(SqlTypeName.VARCHAR);
            case RECORD -> row(s, types);
            default -> null;
        };
    }

    /** The schema without its null branch; null for a union of several non-null types. */
    static Schema nonNull(Schema schema) {
        if (!schema.isUnion()) {
            return schema;
        }
        List<Schema> branches = schema.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).toList();
        return branches.size() == 1 ? branches.get(0) : null;
    }

    /**
     * The Avro schema of an expression's result: a union with null (default null) when the expression can be null.
     *
     * @throws IllegalArgumentException when the type cannot be a column (a ROW, an interval)
     */
    static Schema avro(RelDataType type) {
        Schema s = switch (type.getSqlTypeName()) {
            case BOOLEAN -> Schema.create(Schema.Type.BOOLEAN);
            case TINYINT, SMALLINT, INTEGER -> Schema.create(Schema.Type.INT);
            case BIGINT -> Schema.create(Schema.Type.LONG);
            case REAL -> Schema.create(Schema.Type.FLOAT);
            case FLOAT, DOUBLE -> Schema.create(Schema.Type.DOUBLE);
            case DECIMAL -> LogicalTypes.decimal(type.getPrecision(), type.getScale())
                    .addToSchema(Schema.create(Schema.Type.BYTES));
            case CHAR, VARCHAR -> Schema.create(Schema.Type.STRING);
            case DATE -> LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
            case TIMESTAMP -> (type.getPrecision() > 3 ? LogicalTypes.timestampMicros() : LogicalTypes.timestampMillis())
                    .addToSchema(Schema.create(Schema.Type.LONG));
            default -> throw new IllegalArgumentException("an expression of type " + type.getFullTypeString()
                    + " cannot be a column");
        };
        return type.isNullable() ? Schema.createUnion(Schema.create(Schema.Type.NULL), s) : s;
    }
}
