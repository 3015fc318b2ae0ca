package io.lakestream.aggregate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakestream.config.AggregationConfig;
import io.lakestream.config.AggregationConfig.MeasureConfig;
import io.lakestream.config.AggregationConfig.MeasureFn;
import io.lakestream.expr.ExpressionException;
import io.lakestream.sink.format.LogicalData;
import io.micrometer.core.instrument.Counter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The measures of one aggregation: folding input records into an accumulator and turning a closed window's
 * accumulator into its result. Accumulators hold logical values (BigDecimal, Instant, ...), so decimal sums are
 * exact BigDecimal additions; results hold raw Avro values, which every registry serializer writes.
 */
final class Accumulators {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Logger log = LoggerFactory.getLogger(Accumulators.class);

    private final AggregationConfig aggregation;
    private final MeasureInput[] inputs;
    private final Counter expressionErrors;
    private final Schema accumulatorSchema;
    private final Schema resultSchema;
    // Built once per stream thread: a reader resolves its schema on construction, which cost more than the
    // decode itself when done per record.
    private final ThreadLocal<GenericDatumReader<GenericRecord>> reader;
    private final ThreadLocal<GenericDatumWriter<GenericRecord>> writer;

    Accumulators(Schema input, AggregationConfig aggregation) {
        this(input, aggregation, null);
    }

    /** @param expressionErrors counts measure expressions that failed on a record (null: not counted) */
    Accumulators(Schema input, AggregationConfig aggregation, Counter expressionErrors) {
        this.aggregation = aggregation;
        this.inputs = aggregation.measures().stream().map(m -> MeasureInput.of(input, aggregation.name(), m))
                .toArray(MeasureInput[]::new);
        this.expressionErrors = expressionErrors;
        this.accumulatorSchema = AggregateSchemas.accumulator(input, aggregation);
        this.resultSchema = AggregateSchemas.result(input, aggregation);
        this.reader = ThreadLocal.withInitial(
                () -> new GenericDatumReader<>(accumulatorSchema, accumulatorSchema, LogicalData.MODEL));
        this.writer = ThreadLocal.withInitial(() -> new GenericDatumWriter<>(accumulatorSchema, LogicalData.MODEL));
    }

    Schema resultSchema() {
        return resultSchema;
    }

    /**
     * The group key: the group-by values as a JSON array of their text, so that values containing separators
     * cannot collide (["a|b","c"] differs from ["a","b|c"]).
     */
    String groupKey(GenericRecord value) {
        if (aggregation.groupBy().size() == 1) {
            // The common case, without a list and a JSON writer per record.
            Object v = logical(value, aggregation.groupBy().get(0));
            if (v == null) {
                return "[null]";
            }
            String text = v instanceof BigDecimal d ? d.toPlainString() : v.toString();
            return "[\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"]";
        }
        List<String> values = new ArrayList<>();
        for (String g : aggregation.groupBy()) {
            Object v = logical(value, g);
            values.add(v == null ? null : v instanceof BigDecimal d ? d.toPlainString() : v.toString());
        }
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    GenericRecord empty(GenericRecord value) {
        GenericData.Record acc = new GenericData.Record(accumulatorSchema);
        for (String g : aggregation.groupBy()) {
            acc.put(g, logical(value, g));
        }
        for (MeasureConfig m : aggregation.measures()) {
            switch (m.fn()) {
                case COUNT -> acc.put(m.name(), 0L);
                case AVG -> acc.put(m.name() + AggregateSchemas.AVG_COUNT, 0L);
                case COUNT_DISTINCT -> acc.put(m.name(), DistinctSketch.empty(m.lgK()));
                default -> {
                }
            }
        }
        return acc;
    }

    void add(GenericRecord acc, GenericRecord value) {
        for (int i = 0; i < inputs.length; i++) {
            MeasureConfig m = aggregation.measures().get(i);
            MeasureInput in = inputs[i];
            try {
                if (in.counts(value)) {
                    add(acc, m, in.value() == null ? m.fn() == MeasureFn.COUNT ? null : logical(value, m.field())
                            : in.logicalValue(value));
                }
            } catch (ExpressionException e) {
                // The record is landed all the same; this measure leaves it out rather than stop the aggregation.
                if (expressionErrors != null) {
                    expressionErrors.increment();
                }
                log.warn("Measure expression failed aggregation={} measure={}: {}", aggregation.name(), m.name(),
                        e.getMessage());
            }
        }
    }

    private static void add(GenericRecord acc, MeasureConfig m, Object v) {
        String name = m.name();
        switch (m.fn()) {
            case COUNT -> acc.put(name, (Long) acc.get(name) + 1);
            case SUM -> acc.put(name, plus(acc.get(name), v));
            case MIN -> acc.put(name, pick(acc.get(name), v, -1));
            case MAX -> acc.put(name, pick(acc.get(name), v, 1));
            case AVG -> {
                if (v != null) {
                    String sum = name + AggregateSchemas.AVG_SUM;
                    String count = name + AggregateSchemas.AVG_COUNT;
                    acc.put(sum, plus(acc.get(sum), v));
                    acc.put(count, (Long) acc.get(count) + 1);
                }
            }
            case COUNT_DISTINCT -> DistinctSketch.add((ByteBuffer) acc.get(name), v);
            default -> throw new IllegalStateException(m.fn().name());
        }
    }

    GenericRecord result(GenericRecord acc, long windowStart, long windowEnd) {
        GenericData.Record result = new GenericData.Record(resultSchema);
        for (String g : aggregation.groupBy()) {
            result.put(g, LogicalData.rawValue(resultSchema.getField(g).schema(), acc.get(g)));
        }
        result.put(AggregateSchemas.WINDOW_START, windowStart);
        result.put(AggregateSchemas.WINDOW_END, windowEnd);
        for (MeasureConfig m : aggregation.measures()) {
            Schema type = resultSchema.getField(m.name()).schema();
            Object value = switch (m.fn()) {
                case COUNT, SUM, MIN, MAX -> acc.get(m.name());
                case AVG -> average(acc.get(m.name() + AggregateSchemas.AVG_SUM),
                        (Long) acc.get(m.name() + AggregateSchemas.AVG_COUNT));
                case COUNT_DISTINCT -> DistinctSketch.estimate((ByteBuffer) acc.get(m.name()));
            };
            result.put(m.name(), LogicalData.rawValue(type, value));
        }
        return result;
    }

    byte[] encode(GenericRecord acc) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.get().write(acc, encoder);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    GenericRecord decode(byte[] bytes) {
        try {
            return reader.get().read(null, DecoderFactory.get().binaryDecoder(bytes, null));
        } catch (IOException e) {
            throw new UncheckedIOException("accumulator does not match aggregation " + aggregation.name()
                    + "; an aggregation's group-by and measures cannot change under the same name", e);
        }
    }

    private static Object logical(GenericRecord value, String field) {
        Schema.Field f = value.getSchema().getField(field);
        Object raw = value.get(f.pos());
        if (raw == null) {
            return null;
        }
        Schema schema = f.schema().isUnion() ? LogicalData.branch(f.schema(), raw) : f.schema();
        return LogicalData.logicalValue(schema, raw);
    }

    private static Object plus(Object sum, Object v) {
        if (v == null) {
            return sum;
        }
        if (v instanceof BigDecimal d) {
            return sum == null ? d : ((BigDecimal) sum).add(d);
        }
        if (v instanceof Integer || v instanceof Long) {
            long n = ((Number) v).longValue();
            return sum == null ? n : Math.addExact((Long) sum, n);
        }
        double x = ((Number) v).doubleValue();
        return sum == null ? x : (Double) sum + x;
    }

    /** The smaller (sign -1) or larger (sign 1) of the current extreme and {@code v}; nulls are ignored. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object pick(Object current, Object v, int sign) {
        if (v == null) {
            return current;
        }
        if (current == null) {
            return v;
        }
        int cmp;
        if (current instanceof CharSequence || current instanceof GenericData.EnumSymbol) {
            cmp = v.toString().compareTo(current.toString());
        } else if (current instanceof Number a && v instanceof Number b && !(a instanceof BigDecimal)) {
            cmp = a instanceof Double || a instanceof Float ? Double.compare(b.doubleValue(), a.doubleValue())
                    : Long.compare(b.longValue(), a.longValue());
        } else {
            cmp = ((Comparable) v).compareTo(current);
        }
        return cmp * sign > 0 ? v : current;
    }

    private static Double average(Object sum, long count) {
        if (sum == null || count == 0) {
            return null;
        }
        if (sum instanceof BigDecimal d) {
            return d.divide(BigDecimal.valueOf(count), MathContext.DECIMAL64).doubleValue();
        }
        return ((Number) sum).doubleValue() / count;
    }
}
