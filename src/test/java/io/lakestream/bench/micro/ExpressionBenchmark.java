package io.lakestream.bench.micro;

import io.lakestream.expr.Expression;
import io.lakestream.expr.InvalidExpressionException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One compiled SQL expression evaluated on one e-commerce record (budget: 1 µs per expression per record): the
 * derived column, the filtered measure's condition, the alert rule of the README's example, and a string and a
 * time function.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ExpressionBenchmark {

    private static final Schema SCHEMA = new Schema.Parser().parse("""
            {"type": "record", "name": "Event", "fields": [
              {"name": "event_type", "type": "string"},
              {"name": "sku", "type": "string"},
              {"name": "quantity", "type": "int"},
              {"name": "price", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
              {"name": "country", "type": "string"},
              {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-millis"}}]}""");

    @Param({"price * quantity", "event_type = 'order'", "event_type = 'order' AND price * quantity > 1000",
            "LOWER(country) || '-' || sku", "DATE_TRUNC('hour', ts)"})
    String expression;

    private Expression compiled;
    private GenericRecord[] records;
    private int next;

    @Setup
    public void setUp() throws InvalidExpressionException {
        compiled = Expression.compile(SCHEMA, expression);
        records = new GenericRecord[64];
        for (int i = 0; i < records.length; i++) {
            GenericData.Record r = new GenericData.Record(SCHEMA);
            r.put("event_type", i % 4 == 0 ? "order" : "view");
            r.put("sku", "sku-" + i);
            r.put("quantity", 1 + i % 5);
            r.put("price", ByteBuffer.wrap(BigDecimal.valueOf(1999L * (i + 1), 2).unscaledValue().toByteArray()));
            r.put("country", i % 2 == 0 ? "DE" : "FR");
            r.put("ts", 1_714_557_600_000L + i * 61_000L);
            records[i] = r;
        }
    }

    @Benchmark
    public Object evaluate() {
        GenericRecord r = records[next];
        next = (next + 1) & 63;
        return compiled.avroValue(r);
    }
}
