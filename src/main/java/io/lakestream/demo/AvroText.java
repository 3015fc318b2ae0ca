package io.lakestream.demo;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.StringJoiner;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;

/** One-line, human-readable rendering of a record: decimals as numbers, timestamps as ISO-8601 instants. */
public final class AvroText {

    private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

    private AvroText() {
    }

    public static String format(GenericRecord record) {
        StringJoiner out = new StringJoiner(" ");
        for (Schema.Field field : record.getSchema().getFields()) {
            out.add(field.name() + "=" + value(field.schema(), record.get(field.pos())));
        }
        return out.toString();
    }

    private static String value(Schema schema, Object value) {
        if (value == null) {
            return "null";
        }
        if (schema.getType() == Schema.Type.UNION) {
            for (Schema branch : schema.getTypes()) {
                if (branch.getType() != Schema.Type.NULL) {
                    return value(branch, value);
                }
            }
        }
        LogicalType logical = schema.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal) {
            if (value instanceof ByteBuffer bytes) {
                return DECIMALS.fromBytes(bytes.duplicate(), schema, logical).toPlainString();
            }
            if (value instanceof GenericFixed fixed) {
                return DECIMALS.fromFixed(fixed, schema, logical).toPlainString();
            }
        } else if (logical instanceof LogicalTypes.TimestampMillis && value instanceof Long millis) {
            return Instant.ofEpochMilli(millis).toString();
        } else if (logical instanceof LogicalTypes.TimestampMicros && value instanceof Long micros) {
            return Instant.EPOCH.plusNanos(micros * 1000).toString();
        } else if (logical instanceof LogicalTypes.Date && value instanceof Integer days) {
            return LocalDate.ofEpochDay(days).toString();
        } else if (value instanceof GenericRecord nested) {
            return "{" + format(nested) + "}";
        }
        return value.toString();
    }
}
