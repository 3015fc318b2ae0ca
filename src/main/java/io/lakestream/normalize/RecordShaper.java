package io.lakestream.normalize;

import io.lakestream.config.PipelineConfig;
import io.lakestream.config.RecordSchemas;
import io.lakestream.expr.Expression;
import io.lakestream.expr.InvalidExpressionException;
import io.lakestream.protect.FieldProtector;
import io.lakestream.record.NormalizeOutcome.Normalized;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * What a normalized record becomes before any other stage sees it: protected (see {@link FieldProtector}), extended
 * by the derived columns, then kept or not by the pipeline's filter. Expressions run on the protected record, so
 * none can bring a clear value back. Not thread-safe (its protector is not): one per processor.
 */
final class RecordShaper {

    private final FieldProtector protector;
    private final Schema records;
    private final int protectedFields;
    private final List<Expression> derive = new ArrayList<>();
    private final Expression filter;

    /** @param source the pipeline's schema as configured; the pipeline is validated, so its expressions compile */
    RecordShaper(PipelineConfig pipeline, Schema source) {
        this.protector = new FieldProtector(source, pipeline.protection(), pipeline.key());
        this.records = RecordSchemas.records(source, pipeline);
        this.protectedFields = protector.schema().getFields().size();
        try {
            Schema visible = protector.schema();
            for (PipelineConfig.DerivedColumn c : pipeline.derive()) {
                // Each column reads the record as it is so far: the protected fields and the columns before it.
                derive.add(Expression.compile(visible, c.expr()));
                visible = records;
            }
            this.filter = pipeline.filter() == null ? null : Expression.condition(records, pipeline.filter());
        } catch (InvalidExpressionException e) {
            throw new IllegalArgumentException("pipeline " + pipeline.name() + ": " + e.getMessage(), e);
        }
    }

    /** The schema of the records {@link #shape} returns. */
    Schema schema() {
        return records;
    }

    /**
     * @return the record protected and extended, or null when the filter leaves it out
     * @throws io.lakestream.expr.ExpressionException when an expression fails on this record
     */
    Normalized shape(Normalized clear) {
        Normalized p = protector.protect(clear);
        GenericRecord value = p.value();
        if (!derive.isEmpty()) {
            GenericData.Record out = new GenericData.Record(records);
            for (int i = 0; i < protectedFields; i++) {
                out.put(i, value.get(i));
            }
            for (int i = 0; i < derive.size(); i++) {
                out.put(protectedFields + i, derive.get(i).avroValue(out));
            }
            value = out;
        }
        if (filter != null && !filter.test(value)) {
            return null;
        }
        return value == p.value() ? p : new Normalized(p.key(), value, p.eventTime(), p.topic(), p.partition(),
                p.offset(), p.kafkaTimestamp());
    }
}
