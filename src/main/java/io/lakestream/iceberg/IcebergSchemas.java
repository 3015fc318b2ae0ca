package io.lakestream.iceberg;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;

/**
 * Iceberg columns from an Avro table schema (data fields plus lineage columns). Types: decimal → decimal(p, s),
 * timestamp-millis/-micros → timestamptz (the values are instants), local-timestamp-* → timestamp, date → date,
 * enum → string, record → struct, array → list, map → map with string keys, a union with null → optional.
 *
 * <p>Field IDs stay stable across schema versions because a table's schema is never rebuilt: a new version is merged
 * into it by name ({@link #evolve}), which keeps every existing column's ID and gives new columns fresh ones.
 */
final class IcebergSchemas {

    private IcebergSchemas() {
    }

    /** A fresh Iceberg schema for a new table (IDs assigned in field order). */
    static org.apache.iceberg.Schema fromAvro(Schema avro) {
        AtomicInteger ids = new AtomicInteger(0);
        Types.StructType struct = (Types.StructType) type(avro, ids);
        return new org.apache.iceberg.Schema(struct.fields());
    }

    /**
     * Adds to {@code table} the columns of {@code avro} it lacks (as optional columns), before files carrying them
     * are committed. A column whose type changed incompatibly stops the table with an error naming the field.
     *
     * @return true if the table's schema changed
     */
    static boolean evolve(Table table, Schema avro, String tableName) {
        org.apache.iceberg.Schema wanted = fromAvro(avro);
        org.apache.iceberg.Schema current = table.schema();
        for (Types.NestedField f : wanted.columns()) {
            Types.NestedField existing = current.findField(f.name());
            if (existing != null && existing.type().isPrimitiveType() && f.type().isPrimitiveType()
                    && !existing.type().equals(f.type())
                    && !TypeUtil.isPromotionAllowed(existing.type(), f.type().asPrimitiveType())) {
                throw new IncompatibleSchemaException("table " + tableName + ": field \"" + f.name()
                        + "\" changed from " + existing.type() + " to " + f.type()
                        + ", which Iceberg cannot evolve; nothing was committed. Write the new type to a new field"
                        + " (or a new table) instead.");
            }
        }
        if (TypeUtil.indexByName(current.asStruct()).keySet().containsAll(
                TypeUtil.indexByName(wanted.asStruct()).keySet())) {
            return false;
        }
        try {
            table.updateSchema().unionByNameWith(wanted).commit();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IncompatibleSchemaException("table " + tableName + ": the new schema version cannot be merged"
                    + " into the table's columns (" + e.getMessage() + "); nothing was committed.", e);
        }
        return true;
    }

    private static Type type(Schema s, AtomicInteger ids) {
        Schema t = IcebergLayout.nonNull(s);
        if (t.getType() == Schema.Type.UNION) {
            throw new IllegalArgumentException("Avro union " + s + " has no Iceberg type; use a union with null only");
        }
        if (t.getLogicalType() instanceof LogicalTypes.Decimal d) {
            return Types.DecimalType.of(d.getPrecision(), d.getScale());
        }
        if (t.getLogicalType() instanceof LogicalTypes.TimestampMillis
                || t.getLogicalType() instanceof LogicalTypes.TimestampMicros) {
            return Types.TimestampType.withZone();
        }
        if (t.getLogicalType() instanceof LogicalTypes.LocalTimestampMillis
                || t.getLogicalType() instanceof LogicalTypes.LocalTimestampMicros) {
            return Types.TimestampType.withoutZone();
        }
        if (t.getLogicalType() instanceof LogicalTypes.Date) {
            return Types.DateType.get();
        }
        if (t.getLogicalType() instanceof LogicalTypes.TimeMillis
                || t.getLogicalType() instanceof LogicalTypes.TimeMicros) {
            return Types.TimeType.get();
        }
        return switch (t.getType()) {
            case STRING, ENUM -> Types.StringType.get();
            case INT -> Types.IntegerType.get();
            case LONG -> Types.LongType.get();
            case FLOAT -> Types.FloatType.get();
            case DOUBLE -> Types.DoubleType.get();
            case BOOLEAN -> Types.BooleanType.get();
            case BYTES -> Types.BinaryType.get();
            case FIXED -> Types.FixedType.ofLength(t.getFixedSize());
            case RECORD -> {
                List<Types.NestedField> fields = new ArrayList<>();
                for (Schema.Field f : t.getFields()) {
                    int id = ids.incrementAndGet();
                    Type ft = type(f.schema(), ids);
                    fields.add(isOptional(f.schema()) ? Types.NestedField.optional(id, f.name(), ft, f.doc())
                            : Types.NestedField.required(id, f.name(), ft, f.doc()));
                }
                yield Types.StructType.of(fields);
            }
            case ARRAY -> {
                int id = ids.incrementAndGet();
                Type element = type(t.getElementType(), ids);
                yield isOptional(t.getElementType()) ? Types.ListType.ofOptional(id, element)
                        : Types.ListType.ofRequired(id, element);
            }
            case MAP -> {
                int keyId = ids.incrementAndGet();
                int valueId = ids.incrementAndGet();
                Type value = type(t.getValueType(), ids);
                yield isOptional(t.getValueType()) ? Types.MapType.ofOptional(keyId, valueId, Types.StringType.get(),
                        value) : Types.MapType.ofRequired(keyId, valueId, Types.StringType.get(), value);
            }
            default -> throw new IllegalArgumentException("Avro type " + t.getType() + " has no Iceberg type");
        };
    }

    private static boolean isOptional(Schema s) {
        return s.getType() == Schema.Type.UNION && s.getTypes().stream().anyMatch(t -> t.getType() == Schema.Type.NULL);
    }
}
