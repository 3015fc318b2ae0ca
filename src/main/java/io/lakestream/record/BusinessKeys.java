package io.lakestream.record;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.StringJoiner;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * The business key of a normalized record: its key fields' text joined with '|'. Computed from the record as it is
 * written, so a hashed key field gives a hashed key.
 */
public final class BusinessKeys {

    private BusinessKeys() {
    }

    public static String of(GenericRecord record, List<Schema.Field> keyFields) {
        StringJoiner key = new StringJoiner("|");
        for (Schema.Field f : keyFields) {
            key.add(text(record.get(f.pos()), f.schema()));
        }
        return key.toString();
    }

    /** Decimals as plain text (1234.50), null as empty, everything else as its Avro generic form's text. */
    public static String text(Object value, Schema schema) {
        if (value == null) {
            return "";
        }
        if (schema.getType() == Schema.Type.UNION) {
            return text(value, schema.getTypes().get(GenericData.get().resolveUnion(schema, value)));
        }
        if (schema.getLogicalType() instanceof LogicalTypes.Decimal d && value instanceof ByteBuffer bytes) {
            return new Conversions.DecimalConversion().fromBytes(bytes.duplicate(), schema, d).toPlainString();
        }
        if (schema.getLogicalType() instanceof LogicalTypes.Decimal d && value instanceof GenericData.Fixed fixed) {
            return new Conversions.DecimalConversion().fromFixed(fixed, schema, d).toPlainString();
        }
        return value.toString();
    }
}
