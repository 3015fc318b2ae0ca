package io.lakestream.sink.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;

/**
 * Avro values as JSON for the text formats: decimals as exact JSON numbers, timestamps and dates as ISO-8601
 * (UTC) strings, bytes as base64, enums as their symbol.
 */
final class JsonValues {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonValues() {
    }

    static ObjectNode record(GenericRecord record) {
        ObjectNode node = NODES.objectNode();
        for (Schema.Field field : record.getSchema().getFields()) {
            node.set(field.name(), value(field.schema(), record.get(field.pos())));
        }
        return node;
    }

    static JsonNode value(Schema schema, Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (schema.getType() == Schema.Type.UNION) {
            return value(LogicalData.branch(schema, value), value);
        }
        Object logical = LogicalData.logicalValue(schema, value);
        if (logical instanceof BigDecimal decimal) {
            // DecimalNode directly: the factory may strip trailing zeros, and decimal(12,2) should read 1.10
            return DecimalNode.valueOf(decimal);
        }
        if (logical instanceof java.time.temporal.Temporal) {
            return NODES.textNode(logical.toString());
        }
        return switch (schema.getType()) {
            case RECORD -> record((GenericRecord) value);
            case ARRAY -> array(schema.getElementType(), (Iterable<?>) value);
            case MAP -> map(schema.getValueType(), (Map<?, ?>) value);
            case INT -> NODES.numberNode(((Number) value).intValue());
            case LONG -> NODES.numberNode(((Number) value).longValue());
            case FLOAT -> NODES.numberNode(((Number) value).floatValue());
            case DOUBLE -> NODES.numberNode(((Number) value).doubleValue());
            case BOOLEAN -> NODES.booleanNode((Boolean) value);
            case BYTES -> NODES.textNode(Base64.getEncoder().encodeToString(LogicalData.bytes((ByteBuffer) value)));
            case FIXED -> NODES.textNode(Base64.getEncoder().encodeToString(((GenericFixed) value).bytes()));
            default -> NODES.textNode(value.toString());
        };
    }

    private static ArrayNode array(Schema element, Iterable<?> values) {
        ArrayNode node = NODES.arrayNode();
        for (Object v : values) {
            node.add(value(element, v));
        }
        return node;
    }

    private static ObjectNode map(Schema valueSchema, Map<?, ?> values) {
        ObjectNode node = NODES.objectNode();
        values.forEach((k, v) -> node.set(k.toString(), value(valueSchema, v)));
        return node;
    }
}
