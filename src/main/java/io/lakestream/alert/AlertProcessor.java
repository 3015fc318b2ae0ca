package io.lakestream.alert;

import io.lakestream.config.AlertConfig;
import io.lakestream.expr.Expression;
import io.lakestream.expr.ExpressionException;
import io.lakestream.expr.InvalidExpressionException;
import io.lakestream.record.NormalizeOutcome.Normalized;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates the alert rules (SQL conditions) on each normalized record, protected and with its derived columns, and
 * forwards it once per matching rule (business key, value, the raw record's timestamp) with the rule's name in header
 * {@value #RULE_HEADER}. It runs in the normalize sub-topology, so its output commits in the same transaction as the
 * normalized record. A rule that fails on a record (division by zero, ...) does not match it: the record is landed
 * all the same, and the failure is logged and counted ({@code lakestream.alerts.errors}).
 */
final class AlertProcessor implements Processor<byte[], Normalized, String, GenericRecord> {

    static final String RULE_HEADER = "lakestream.alert.rule";
    private static final Logger log = LoggerFactory.getLogger(AlertProcessor.class);

    private record CompiledRule(String name, Expression when, Counter matches, Counter errors) {
    }

    private final String pipeline;
    private final List<CompiledRule> rules = new ArrayList<>();
    private ProcessorContext<String, GenericRecord> context;

    /** @param schema the schema of the records the rules read (protected, with derived columns) */
    AlertProcessor(String pipeline, AlertConfig alerts, Schema schema, MeterRegistry metrics) {
        this.pipeline = pipeline;
        for (AlertConfig.Rule rule : alerts.rules()) {
            Counter matches = Counter.builder("lakestream.alerts").tag("pipeline", pipeline).tag("rule", rule.name())
                    .description("records matching an alert rule, copied to the alert topic").register(metrics);
            Counter errors = Counter.builder("lakestream.alerts.errors").tag("pipeline", pipeline)
                    .tag("rule", rule.name()).description("records an alert rule failed on").register(metrics);
            try {
                rules.add(new CompiledRule(rule.name(), Expression.condition(schema, rule.when()), matches, errors));
            } catch (InvalidExpressionException e) {
                throw new IllegalArgumentException("alert rule " + rule.name() + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void init(ProcessorContext<String, GenericRecord> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], Normalized> record) {
        Normalized n = record.value();
        for (CompiledRule rule : rules) {
            boolean match;
            try {
                match = rule.when().test(n.value());
            } catch (ExpressionException e) {
                rule.errors().increment();
                log.warn("Alert rule failed pipeline={} rule={} topic={} partition={} offset={}: {}", pipeline,
                        rule.name(), n.topic(), n.partition(), n.offset(), e.getMessage());
                continue;
            }
            if (match) {
                rule.matches().increment();
                RecordHeaders headers = new RecordHeaders();
                headers.add(RULE_HEADER, rule.name().getBytes(StandardCharsets.UTF_8));
                context.forward(new Record<>(n.key(), n.value(), record.timestamp(), headers));
            }
        }
    }
}
