package io.lakestream.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Coerces parsed source values into Avro's generic representation of a schema: decimals as {@link ByteBuffer}
 * (bytes) or {@link GenericData.Fixed}, timestamps as epoch longs, dates as epoch-day ints, enums as
 * {@link GenericData.EnumSymbol}, strings as {@link String}. That is the representation the registry deserializer
 * returns too, so downstream stages see the same types whether a record comes from this stage or from the topic.
 *
 * <p>Rules worth knowing: a decimal is built from the number's text, never a double; fraction digits beyond the
 * scale are an error unless they are zeros (no rounding); an absent field or JSON null takes the field's default,
 * else null when the field is nullable, else MISSING_FIELD; CSV empty cells count as absent except for string
 * fields; enum symbols match exactly.
 */
final class AvroCoercer {

    private static final Set<String> NON_FINITE = Set.of("nan", "infinity", "+infinity", "-infinity", "inf",
            "+inf", "-inf");
    private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

    private final Timestamps timestamps;
    private final boolean emptyTextIsAbsent;

    /**
     * @param timestamps        how timestamp fields are read
     * @param emptyTextIsAbsent true for CSV, where an empty cell is the only way to write "no value"
     */
    AvroCoercer(Timestamps timestamps, boolean emptyTextIsAbsent) {
        this.timestamps = timestamps;
        this.emptyTextIsAbsent = emptyTextIsAbsent;
    }

    /** A record field's value: {@code node} may be missing or null, then the default / null rules apply. */
    Object field(Schema.Field field, JsonNode node, Where where) {
        if (isAbsent(node, field.schema())) {
            if (field.hasDefaultValue()) {
                return GenericData.get().deepCopy(field.schema(), GenericData.get().getDefaultValue(field));
            }
            if (nullable(field.schema())) {
                return null;
            }
            throw where.error(ErrorClass.MISSING_FIELD, node.isNull() ? "required field is null"
                    : "required field is missing");
        }
        return value(node, field.schema(), where);
    }

    Object value(JsonNode node, Schema schema, Where where) {
        if (isAbsent(node, schema)) {
            if (nullable(schema)) {
                return null;
            }
            throw where.error(ErrorClass.MISSING_FIELD, "required value is " + (node.isNull() ? "null" : "missing"));
        }
        LogicalType logical = schema.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal decimal) {
            return decimal(node, schema, decimal, where);
        }
        if (logical instanceof LogicalTypes.TimestampMillis) {
            return timestamps.read(node, Timestamps.Unit.MILLIS, where);
        }
        if (logical instanceof LogicalTypes.TimestampMicros) {
            return timestamps.read(node, Timestamps.Unit.MICROS, where);
        }
        if (logical instanceof LogicalTypes.Date) {
            return Timestamps.date(node, where);
        }
        return switch (schema.getType()) {
            case UNION -> union(node, schema, where);
            case RECORD -> record(node, schema, where);
            case ARRAY -> array(node, schema, where);
            case MAP -> map(node, schema, where);
            case STRING -> string(node, where);
            case ENUM -> enumSymbol(node, schema, where);
            case BOOLEAN -> bool(node, where);
            case INT -> (int) integral(node, where, "an int", Integer.MIN_VALUE, Integer.MAX_VALUE);
            case LONG -> integral(node, where, "a long", Long.MIN_VALUE, Long.MAX_VALUE);
            case FLOAT -> (float) floating(node, where, Float.MAX_VALUE);
            case DOUBLE -> floating(node, where, Double.MAX_VALUE);
            case BYTES -> ByteBuffer.wrap(base64(node, where));
            case FIXED -> fixed(node, schema, where);
            case NULL -> throw where.error(ErrorClass.WRONG_TYPE, "expected null", node);
        };
    }

    private boolean isAbsent(JsonNode node, Schema schema) {
        return node.isMissingNode() || node.isNull()
                || (emptyTextIsAbsent && node.isTextual() && node.asText().isEmpty()
                && schema.getType() != Schema.Type.STRING);
    }

    static boolean nullable(Schema schema) {
        return schema.getType() == Schema.Type.NULL
                || (schema.getType() == Schema.Type.UNION && schema.getTypes().stream()
                .anyMatch(s -> s.getType() == Schema.Type.NULL));
    }

    private Object union(JsonNode node, Schema schema, Where where) {
        NormalizeException first = null;
        for (Schema branch : schema.getTypes()) {
            if (branch.getType() == Schema.Type.NULL) {
                continue;
            }
            try {
                return value(node, branch, where);
            } catch (NormalizeException e) {
                first = first == null ? e : first;
            }
        }
        throw first;
    }

    private GenericRecord record(JsonNode node, Schema schema, Where where) {
        if (!node.isObject()) {
            throw where.error(ErrorClass.WRONG_TYPE, "expected an object (record " + schema.getName() + ")", node);
        }
        GenericData.Record record = new GenericData.Record(schema);
        for (Schema.Field f : schema.getFields()) {
            record.put(f.pos(), field(f, node.path(f.name()), where.child(f.name())));
        }
        return record;
    }

    private List<Object> array(JsonNode node, Schema schema, Where where) {
        if (!node.isArray()) {
            throw where.error(ErrorClass.WRONG_TYPE, "expected an array", node);
        }
        List<Object> items = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            items.add(value(node.get(i), schema.getElementType(), where.element(i)));
        }
        return new GenericData.Array<>(schema, items);
    }

    private Map<String, Object> map(JsonNode node, Schema schema, Where where) {
        if (!node.isObject()) {
            throw where.error(ErrorClass.WRONG_TYPE, "expected an object (map)", node);
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            map.put(e.getKey(), value(e.getValue(), schema.getValueType(), where.child(e.getKey())));
        }
        return map;
    }

    private static String string(JsonNode node, Where where) {
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isNumber()) {
            return node.isBigDecimal() ? node.decimalValue().toString() : node.asText();
        }
        if (node.isBoolean()) {
            return node.asText();
        }
        throw where.error(ErrorClass.WRONG_TYPE, "expected a string", node);
    }

    private static GenericData.EnumSymbol enumSymbol(JsonNode node, Schema schema, Where where) {
        if (!node.isTextual()) {
            throw where.error(ErrorClass.WRONG_TYPE, "expected a string symbol of enum " + schema.getName(), node);
        }
        if (!schema.hasEnumSymbol(node.asText())) {
            throw where.error(ErrorClass.UNKNOWN_ENUM, "expected one of " + String.join(", ", schema.getEnumSymbols()),
                    node.asText());
        }
        return new GenericData.EnumSymbol(schema, node.asText());
    }

    private static boolean bool(JsonNode node, Where where) {
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isTextual() && ("true".equalsIgnoreCase(node.asText().trim())
                || "false".equalsIgnoreCase(node.asText().trim()))) {
            return Boolean.parseBoolean(node.asText().trim());
        }
        throw where.error(ErrorClass.WRONG_TYPE, "expected a boolean (true or false)",
                node.isTextual() ? node.asText() : node.toString());
    }

    /** The node's exact numeric value, from a JSON number or from numeric text. */
    private static BigDecimal number(JsonNode node, Where where, String expected) {
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isTextual()) {
            String text = node.asText().trim();
            if (NON_FINITE.contains(text.toLowerCase(java.util.Locale.ROOT))) {
                throw where.error(ErrorClass.NON_FINITE_NUMBER, expected + " (finite)", node.asText());
            }
            try {
                return new BigDecimal(text);
            } catch (NumberFormatException e) {
                throw where.error(ErrorClass.WRONG_TYPE, "expected " + expected, node.asText());
            }
        }
        throw where.error(ErrorClass.WRONG_TYPE, "expected " + expected, node.toString());
    }

    private static long integral(JsonNode node, Where where, String expected, long min, long max) {
        if (node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= min && node.longValue() <= max) {
            return node.longValue(); // the common case, without a BigDecimal
        }
        BigDecimal value = number(node, where, expected);
        if (value.signum() != 0 && value.stripTrailingZeros().scale() > 0) {
            throw where.error(ErrorClass.WRONG_TYPE, "expected " + expected + " (a whole number)", value.toPlainString());
        }
        if (value.compareTo(BigDecimal.valueOf(min)) < 0 || value.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw where.error(ErrorClass.NUMERIC_OVERFLOW, "expected " + expected + " between " + min + " and " + max,
                    value.toPlainString());
        }
        return value.setScale(0, RoundingMode.UNNECESSARY).longValueExact();
    }

    private static double floating(JsonNode node, Where where, double max) {
        BigDecimal value = number(node, where, "a number");
        double d = value.doubleValue();
        if (Math.abs(d) > max) {
            throw where.error(ErrorClass.NUMERIC_OVERFLOW, "expected a number of magnitude at most " + max,
                    value.toString());
        }
        return d;
    }

    private static Object decimal(JsonNode node, Schema schema, LogicalTypes.Decimal type, Where where) {
        String expected = "a decimal(" + type.getPrecision() + "," + type.getScale() + ")";
        BigDecimal value = number(node, where, expected);
        BigDecimal scaled;
        try {
            // Only zeros may be dropped: 1.230 fits scale 2, 1.235 does not; never rounded.
            scaled = value.setScale(type.getScale(), RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw where.error(ErrorClass.DECIMAL_SCALE, "expected " + expected + " with at most " + type.getScale()
                    + " fraction digits (not rounded)", node.isTextual() ? node.asText() : value.toPlainString());
        }
        if (scaled.precision() > type.getPrecision()) {
            throw where.error(ErrorClass.DECIMAL_PRECISION, "expected " + expected + " with at most "
                    + (type.getPrecision() - type.getScale()) + " digits before the point",
                    node.isTextual() ? node.asText() : value.toPlainString());
        }
        return schema.getType() == Schema.Type.FIXED ? DECIMALS.toFixed(scaled, schema, type)
                : DECIMALS.toBytes(scaled, schema, type);
    }

    private static byte[] base64(JsonNode node, Where where) {
        if (node.isTextual()) {
            try {
                return Base64.getDecoder().decode(node.asText().trim());
            } catch (IllegalArgumentException e) {
                // reported below
            }
        }
        throw where.error(ErrorClass.WRONG_TYPE, "expected base64 text", node.isTextual() ? node.asText() : node);
    }

    private static GenericData.Fixed fixed(JsonNode node, Schema schema, Where where) {
        byte[] bytes = base64(node, where);
        if (bytes.length != schema.getFixedSize()) {
            throw where.error(ErrorClass.WRONG_TYPE, "expected base64 of exactly " + schema.getFixedSize() + " bytes",
                    node.asText());
        }
        return new GenericData.Fixed(schema, bytes);
    }
}
