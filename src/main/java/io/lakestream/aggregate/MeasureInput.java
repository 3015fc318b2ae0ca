package io.lakestream.aggregate;

import io.lakestream.config.AggregationConfig.MeasureConfig;
import io.lakestream.expr.Expression;
import io.lakestream.expr.InvalidExpressionException;
import io.lakestream.sink.format.LogicalData;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * What a measure reads from a record: its value ({@code expr}, or null for a field measure or count) and whether the
 * record counts at all ({@code where}, or null for every record). Compiled once against the records schema; both
 * read their columns by name, so they evaluate alike on the record and on its projection after a repartition.
 */
record MeasureInput(Expression value, Expression where) {

    static MeasureInput of(Schema input, String aggregation, MeasureConfig m) {
        try {
            return new MeasureInput(m.expr() == null ? null : Expression.compile(input, m.expr()),
                    m.where() == null ? null : Expression.condition(input, m.where()));
        } catch (InvalidExpressionException e) {
            throw new IllegalArgumentException("aggregation " + aggregation + " measure " + m.name() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The Avro type of the expression's values, without null; null for a field measure or count. */
    Schema valueType() {
        return value == null ? null : LogicalData.nonNull(value.avroType());
    }

    /** The fields of the record the measure reads besides its {@code field}. */
    Set<String> fields() {
        Set<String> out = new LinkedHashSet<>();
        if (value != null) {
            out.addAll(value.fields());
        }
        if (where != null) {
            out.addAll(where.fields());
        }
        return out;
    }

    boolean counts(GenericRecord record) {
        return where == null || where.test(record);
    }

    /** The expression's value on {@code record} in logical form (BigDecimal for decimals), or null. */
    Object logicalValue(GenericRecord record) {
        Object raw = value.avroValue(record);
        return raw == null ? null : LogicalData.logicalValue(valueType(), raw);
    }
}
