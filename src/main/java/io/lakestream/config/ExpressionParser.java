package io.lakestream.config;

import io.lakestream.expr.Expression;
import io.lakestream.expr.InvalidExpressionException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * Reads a pipeline's {@code derive} and {@code filter}, and types every SQL expression of the pipeline at load:
 * derived columns, the filter, measures' {@code expr} and {@code where}, alert rules' {@code when}. They read the
 * record after protection (hashed and masked fields as strings, dropped fields absent), with the derived columns; an
 * error names the YAML path, what is wrong and where in the expression.
 */
final class ExpressionParser {

    /** What {@link #parse} reads. */
    record Result(List<PipelineConfig.DerivedColumn> derive, String filter) {
    }

    private final Schema source;
    private Schema records;

    /** @param schema the pipeline's schema, or null when it could not be read (typing is skipped) */
    ExpressionParser(Schema schema, ProtectionConfig protection) {
        this.source = schema;
        this.records = schema == null ? null : RecordSchemas.afterProtection(schema, protection);
    }

    Result parse(YamlSection pipeline, List<AggregationConfig> aggregations, AlertConfig alerts) {
        List<PipelineConfig.DerivedColumn> derive = derive(pipeline);
        String filter = pipeline.string("filter", null);
        if (filter != null) {
            condition(pipeline, "filter", filter);
        }
        List<YamlSection> aggSections = pipeline.list("aggregations");
        for (int i = 0; i < aggSections.size() && i < aggregations.size(); i++) {
            List<YamlSection> measureSections = aggSections.get(i).list("measures");
            List<AggregationConfig.MeasureConfig> measures = aggregations.get(i).measures();
            for (int j = 0; j < measureSections.size() && j < measures.size(); j++) {
                measure(measureSections.get(j), measures.get(j));
            }
        }
        for (YamlSection r : pipeline.section("alerts").list("rules")) {
            String name = r.value("name") == null ? null : r.value("name").asText();
            alerts.rules().stream().filter(rule -> rule.name().equals(name)).findFirst()
                    .ifPresent(rule -> condition(r, "when", rule.when()));
        }
        return new Result(List.copyOf(derive), filter);
    }

    private List<PipelineConfig.DerivedColumn> derive(YamlSection pipeline) {
        List<PipelineConfig.DerivedColumn> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (YamlSection c : pipeline.list("derive")) {
            String name = c.required("name", "a column name of lower-case letters, digits and '_'");
            String expr = c.required("expr", "a SQL expression like price * quantity");
            c.finish();
            boolean named = name != null && PipelineParser.TABLE.matcher(name).matches();
            if (name != null && !named) {
                c.problem("name", "must be lower-case letters, digits and '_', starting with a letter, was "
                        + YamlSection.quote(name));
            } else if (named && (source != null && source.getField(name) != null || !names.add(name))) {
                c.problem("name", "\"" + name + "\" is already a field of the schema or a derived column; a derived "
                        + "column needs a new name");
                named = false;
            }
            Expression e = named && expr != null ? compile(c, "expr", expr, false) : null;
            if (e != null && !e.columnType()) {
                c.problem("expr", "is of type " + e.typeName() + ", which cannot be a column; derive its fields "
                        + "one by one");
                e = null;
            }
            if (named && expr != null) {
                out.add(new PipelineConfig.DerivedColumn(name, expr));
            }
            // Expressions reading a column that could not be derived would only repeat the problem: not typed.
            records = e == null ? null : RecordSchemas.withColumn(records, name, e);
        }
        return out;
    }

    private void measure(YamlSection s, AggregationConfig.MeasureConfig m) {
        if (m.expr() != null && m.fn() != null) {
            Expression e = compile(s, "expr", m.expr(), false);
            boolean sums = m.fn() == AggregationConfig.MeasureFn.SUM || m.fn() == AggregationConfig.MeasureFn.AVG;
            if (e != null && sums && !e.numeric()) {
                s.problem("expr", "type mismatch: " + m.fn().name().toLowerCase(java.util.Locale.ROOT)
                        + " needs a number or decimal, the expression is of type " + e.typeName());
            } else if (e != null && !sums && !e.orderable()) {
                String what = m.fn() == AggregationConfig.MeasureFn.COUNT_DISTINCT ? "count_distinct needs"
                        : "min and max need";
                s.problem("expr", "type mismatch: " + what + " a number, decimal, string, date or timestamp, the "
                        + "expression is of type " + e.typeName());
            }
        }
        if (m.where() != null) {
            condition(s, "where", m.where());
        }
    }

    private void condition(YamlSection s, String key, String text) {
        compile(s, key, text, true);
    }

    /** The compiled expression, or null after reporting why not (or when the schema is unknown). */
    private Expression compile(YamlSection s, String key, String text, boolean condition) {
        if (records == null) {
            return null;
        }
        try {
            return condition ? Expression.condition(records, text) : Expression.compile(records, text);
        } catch (InvalidExpressionException e) {
            s.problem(key, e.getMessage() + " in " + YamlSection.quote(text));
            return null;
        }
    }
}
