package io.lakestream.aggregate;

import io.lakestream.config.AggregationConfig;
import io.lakestream.config.AggregationConfig.MeasureConfig;
import io.lakestream.config.AggregationConfig.MeasureFn;
import io.lakestream.sink.format.LogicalData;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * Schemas generated from an aggregation over the pipeline's schema.
 *
 * <p>Result ({@link #result}): the group-by fields (their input types), {@code window_start} and {@code window_end}
 * (timestamp-millis), then one field per measure: count → long; sum → long for int/long, double for float/double,
 * decimal(38, s) for decimal(p, s) (exact, with room to grow); min/max → the field's type; avg → double;
 * count_distinct → long (an HLL estimate). Measures other than count and count_distinct are null when every input
 * value was null.
 *
 * <p>Accumulator ({@link #accumulator}): the result's group-by fields and measures, where avg keeps its running sum
 * (in the sum type) and count instead, and count_distinct its sketch's bytes ({@link DistinctSketch}); it is the
 * store's value, so changing an aggregation's group-by or measures
 * needs a new aggregation name (new store, new changelog).
 */
final class AggregateSchemas {

    static final String WINDOW_START = io.lakestream.sink.AggregatesSinkStage.WINDOW_START_FIELD;
    static final String WINDOW_END = "window_end";
    static final String AVG_SUM = "__sum";
    static final String AVG_COUNT = "__count";
    private static final Set<Schema.Type> NUMBERS = Set.of(Schema.Type.INT, Schema.Type.LONG, Schema.Type.FLOAT,
            Schema.Type.DOUBLE);

    private AggregateSchemas() {
    }

    /** The input field's type without its null branch, checked to suit {@code fn}. */
    static Schema inputType(Schema input, String aggregation, MeasureConfig m) {
        if (m.expr() != null) {
            // Typed at load: sum/avg of a numeric expression, min/max of an orderable one.
            return MeasureInput.of(input, aggregation, m).valueType();
        }
        Schema.Field field = input.getField(m.field());
        if (field == null) {
            throw new IllegalArgumentException("aggregation " + aggregation + " measure " + m.name() + ": field "
                    + m.field() + " is not in schema " + input.getFullName());
        }
        Schema type = LogicalData.nonNull(field.schema());
        boolean numeric = NUMBERS.contains(type.getType()) || type.getLogicalType() instanceof LogicalTypes.Decimal;
        boolean comparable = numeric || type.getType() == Schema.Type.STRING || type.getType() == Schema.Type.ENUM;
        if ((m.fn() == MeasureFn.SUM || m.fn() == MeasureFn.AVG) && !numeric
                || (m.fn() == MeasureFn.MIN || m.fn() == MeasureFn.MAX) && !comparable
                || m.fn() == MeasureFn.COUNT_DISTINCT && !comparable && type.getType() != Schema.Type.ENUM) {
            throw new IllegalArgumentException("aggregation " + aggregation + " measure " + m.name() + ": "
                    + m.fn().name().toLowerCase(java.util.Locale.ROOT) + " of field " + m.field() + " of type "
                    + type + " is not supported; sum/avg need a number or decimal, min/max a number, decimal, "
                    + "timestamp, date or string, count_distinct one of these or an enum");
        }
        return type;
    }

    /** The type a sum of {@code input} values is kept and reported in. */
    static Schema sumType(Schema input) {
        if (input.getLogicalType() instanceof LogicalTypes.Decimal d) {
            return LogicalTypes.decimal(38, d.getScale()).addToSchema(Schema.create(Schema.Type.BYTES));
        }
        return switch (input.getType()) {
            case INT, LONG -> Schema.create(Schema.Type.LONG);
            default -> Schema.create(Schema.Type.DOUBLE);
        };
    }

    static Schema result(Schema input, AggregationConfig a) {
        List<Schema.Field> fields = groupFields(input, a);
        Schema millis = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
        fields.add(new Schema.Field(WINDOW_START, millis));
        fields.add(new Schema.Field(WINDOW_END, millis));
        for (MeasureConfig m : a.measures()) {
            Schema type = switch (m.fn()) {
                case COUNT -> Schema.create(Schema.Type.LONG);
                case COUNT_DISTINCT -> {
                    inputType(input, a.name(), m);
                    yield Schema.create(Schema.Type.LONG);
                }
                case SUM -> sumType(inputType(input, a.name(), m));
                case MIN, MAX -> inputType(input, a.name(), m);
                case AVG -> {
                    inputType(input, a.name(), m);
                    yield Schema.create(Schema.Type.DOUBLE);
                }
            };
            fields.add(m.fn() == MeasureFn.COUNT || m.fn() == MeasureFn.COUNT_DISTINCT
                    ? new Schema.Field(m.name(), type)
                    : new Schema.Field(m.name(), nullable(type), null, JsonProperties.NULL_VALUE));
        }
        return Schema.createRecord(recordName(a.name()), "Aggregation " + a.name(), "io.lakestream.aggregate",
                false, fields);
    }

    static Schema accumulator(Schema input, AggregationConfig a) {
        List<Schema.Field> fields = groupFields(input, a);
        for (MeasureConfig m : a.measures()) {
            switch (m.fn()) {
                case COUNT -> fields.add(new Schema.Field(m.name(), Schema.create(Schema.Type.LONG)));
                case COUNT_DISTINCT -> {
                    inputType(input, a.name(), m);
                    fields.add(new Schema.Field(m.name(), Schema.create(Schema.Type.BYTES)));
                }
                case SUM -> fields.add(new Schema.Field(m.name(), nullable(sumType(inputType(input, a.name(), m))),
                        null, JsonProperties.NULL_VALUE));
                case MIN, MAX -> fields.add(new Schema.Field(m.name(), nullable(inputType(input, a.name(), m)),
                        null, JsonProperties.NULL_VALUE));
                case AVG -> {
                    fields.add(new Schema.Field(m.name() + AVG_SUM,
                            nullable(sumType(inputType(input, a.name(), m))), null, JsonProperties.NULL_VALUE));
                    fields.add(new Schema.Field(m.name() + AVG_COUNT, Schema.create(Schema.Type.LONG)));
                }
                default -> throw new IllegalStateException(m.fn().name());
            }
        }
        return Schema.createRecord(recordName(a.name()) + "Accumulator", null, "io.lakestream.aggregate", false,
                fields);
    }

    private static List<Schema.Field> groupFields(Schema input, AggregationConfig a) {
        List<Schema.Field> fields = new ArrayList<>();
        for (String g : a.groupBy()) {
            Schema.Field f = input.getField(g);
            if (f == null) {
                throw new IllegalArgumentException("aggregation " + a.name() + ": group-by field " + g
                        + " is not in schema " + input.getFullName());
            }
            fields.add(new Schema.Field(f, f.schema()));
        }
        return fields;
    }

    private static Schema nullable(Schema type) {
        return Schema.createUnion(Schema.create(Schema.Type.NULL), type);
    }

    /** An Avro name from an aggregation name: letters, digits and '_' kept, others replaced by '_'. */
    private static String recordName(String name) {
        String cleaned = name.replaceAll("[^A-Za-z0-9_]", "_");
        return Character.isDigit(cleaned.charAt(0)) ? "_" + cleaned : cleaned;
    }
}
