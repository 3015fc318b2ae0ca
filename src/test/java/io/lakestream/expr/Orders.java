package io.lakestream.expr;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** An e-commerce event schema and records of it, for expression tests. */
final class Orders {

    static final Schema SCHEMA = new Schema.Parser().parse("""
            {"type": "record", "name": "Event", "namespace": "shop", "fields": [
              {"name": "event_type", "type": "string"},
              {"name": "sku", "type": ["null", "string"], "default": null},
              {"name": "quantity", "type": ["null", "int"], "default": null},
              {"name": "price", "type": ["null", {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}],
               "default": null},
              {"name": "currency", "type": {"type": "enum", "name": "Currency", "symbols": ["EUR", "USD"]}},
              {"name": "country", "type": "string"},
              {"name": "weight", "type": ["null", "double"], "default": null},
              {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-millis"}},
              {"name": "day", "type": ["null", {"type": "int", "logicalType": "date"}], "default": null},
              {"name": "address", "type": ["null", {"type": "record", "name": "Address", "fields": [
                {"name": "city", "type": "string"}, {"name": "zip", "type": ["null", "string"], "default": null}]}],
               "default": null}
            ]}""");

    private Orders() {
    }

    static GenericRecord event(String type, String sku, Integer quantity, String price, String country, String ts) {
        GenericData.Record r = new GenericData.Record(SCHEMA);
        r.put("event_type", type);
        r.put("sku", sku);
        r.put("quantity", quantity);
        r.put("price", price == null ? null : ByteBuffer.wrap(new BigDecimal(price).setScale(2).unscaledValue()
                .toByteArray()));
        r.put("currency", new GenericData.EnumSymbol(SCHEMA.getField("currency").schema(), "EUR"));
        r.put("country", country);
        r.put("ts", Instant.parse(ts).toEpochMilli());
        return r;
    }

    static BigDecimal decimal(Object avro, int scale) {
        ByteBuffer b = ((ByteBuffer) avro).duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return new BigDecimal(new java.math.BigInteger(bytes), scale);
    }
}
