package io.lakestream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;

/**
 * A decoded Avro record as plain JSON, the way a person reads it: decimals as exact numbers, timestamps as ISO-8601
 * instants, dates as {@code yyyy-MM-dd}, enums as their symbol, a union as its value (not Avro's {@code {"type":
 * value}} wrapping), bytes as base64.
 */
final class AvroJson {

    private static final JsonNodeFactory JSON = JsonNodeFactory.withExactBigDecimals(true);
    private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

    private AvroJson() {
    }

    static ObjectNode of(GenericRecord record) {
        ObjectNode out = JSON.objectNode();
        for (Schema.Field field : record.getSchema().getFields()) {
            out.set(field.name(), value(field.schema(), record.get(field.pos())));
        }
        return out;
    }

    static JsonNode value(Schema schema, Object value) {
        if (value == null) {
            return JSON.nullNode();
        }
        if (schema.getType() == Schema.Type.UNION) {
            return value(schema.getTypes().get(GenericData.get().resolveUnion(schema, value)), value);
        }
        LogicalType logical = schema.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal) {
            return JSON.numberNode(value instanceof GenericFixed fixed ? DECIMALS.fromFixed(fixed, schema, logical)
                    : DECIMALS.fromBytes(((ByteBuffer) value).duplicate(), schema, logical));
        }
        if (logical instanceof LogicalTypes.TimestampMillis || logical instanceof LogicalTypes.LocalTimestampMillis) {
            return JSON.textNode(Instant.ofEpochMilli((Long) value).toString());
        }
        if (logical instanceof LogicalTypes.TimestampMicros || logical instanceof LogicalTypes.LocalTimestampMicros) {
            long micros = (Long) value;
            return JSON.textNode(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                    Math.floorMod(micros, 1_000_000L) * 1000).toString());
        }
        if (logical instanceof LogicalTypes.Date) {
            return JSON.textNode(LocalDate.ofEpochDay((Integer) value).toString());
        }
        return switch (schema.getType()) {
            case RECORD -> of((GenericRecord) value);
            case ARRAY -> {
                ArrayNode array = JSON.arrayNode();
                ((Collection<?>) value).forEach(v -> array.add(value(schema.getElementType(), v)));
                yield array;
            }
            case MAP -> {
                ObjectNode map = JSON.objectNode();
                ((Map<?, ?>) value).forEach((k, v) -> map.set(k.toString(), value(schema.getValueType(), v)));
                yield map;
            }
            case INT -> JSON.numberNode((Integer) value);
            case LONG -> JSON.numberNode((Long) value);
            case FLOAT -> JSON.numberNode((Float) value);
            case DOUBLE -> JSON.numberNode((Double) value);
            case BOOLEAN -> JSON.booleanNode((Boolean) value);
            case BYTES -> JSON.textNode(base64(((ByteBuffer) value).duplicate()));
            case FIXED -> JSON.textNode(Base64.getEncoder().encodeToString(((GenericFixed) value).bytes()));
            default -> JSON.textNode(value.toString()); // string, enum
        };
    }

    private static String base64(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
