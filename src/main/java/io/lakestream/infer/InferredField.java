package io.lakestream.infer;

import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One field of an inferred schema and the evidence behind it.
 *
 * @param name         Avro field name (snake_case, unique)
 * @param sourcePath   where the value comes from: a JSON path such as {@code $.account.id}, or a CSV column name
 * @param schema       the field's Avro type; a union {@code ["null", T]} when some sample lacks a value
 * @param presentCount readable samples in which the field has a non-null value
 * @param nullCount    readable samples in which the field is explicitly null (an empty CSV cell counts as null)
 * @param timeFormat   for timestamp fields, how the source writes them, in the terms of a pipeline's
 *                     {@code event-time.format}: {@code iso-8601}, {@code epoch-seconds}, {@code epoch-millis},
 *                     {@code epoch-micros}; null otherwise
 * @param notes        why the type is what it is: rejected candidates with example values, enum candidates,
 *                     guessed epoch units, presence
 */
public record InferredField(String name, String sourcePath, Schema schema, int presentCount, int nullCount,
                            String timeFormat, List<String> notes) {

    public InferredField {
        notes = List.copyOf(notes);
    }

    public boolean nullable() {
        return schema.getType() == Schema.Type.UNION;
    }

    /** Short type for people: {@code decimal(6,2)}, {@code timestamp-millis}, {@code array<string>}, ... */
    public String typeName() {
        return describe(schema);
    }

    static String describe(Schema schema) {
        LogicalType logical = schema.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal decimal) {
            return "decimal(" + decimal.getPrecision() + "," + decimal.getScale() + ")";
        }
        if (logical != null) {
            return logical.getName();
        }
        return switch (schema.getType()) {
            case UNION -> schema.getTypes().stream()
                    .filter(type -> type.getType() != Schema.Type.NULL)
                    .map(InferredField::describe)
                    .collect(Collectors.joining("|")) + " (nullable)";
            case ARRAY -> "array<" + describe(schema.getElementType()) + ">";
            case RECORD -> "record " + schema.getName();
            default -> schema.getType().getName();
        };
    }
}
