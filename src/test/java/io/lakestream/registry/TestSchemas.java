package io.lakestream.registry;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

final class TestSchemas {

    static final Schema V1 = new Schema.Parser().parse("""
            {"type":"record","name":"Claim","namespace":"t","fields":[
              {"name":"claim_id","type":"string"},
              {"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":12,"scale":2}}]}""");
    static final Schema V2 = new Schema.Parser().parse("""
            {"type":"record","name":"Claim","namespace":"t","fields":[
              {"name":"claim_id","type":"string"},
              {"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":12,"scale":2}},
              {"name":"note","type":["null","string"],"default":null}]}""");

    private TestSchemas() {
    }

    static GenericRecord claim(Schema schema, String id, String amount) {
        GenericData.Record r = new GenericData.Record(schema);
        r.put("claim_id", id);
        Schema amountSchema = schema.getField("amount").schema();
        r.put("amount", new Conversions.DecimalConversion().toBytes(new BigDecimal(amount), amountSchema,
                amountSchema.getLogicalType()));
        return r;
    }

    static BigDecimal amount(GenericRecord r) {
        Schema s = r.getSchema().getField("amount").schema();
        return new Conversions.DecimalConversion().fromBytes(((ByteBuffer) r.get("amount")).duplicate(), s,
                (LogicalTypes.Decimal) s.getLogicalType());
    }
}
