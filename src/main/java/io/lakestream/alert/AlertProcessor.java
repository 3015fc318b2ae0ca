package io.lakestream.alert;

import io.lakestream.config.AlertConfig;
import io.lakestream.normalize.NormalizeOutcome.Normalized;
import io.lakestream.protect.FieldProtector;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Evaluates the alert rules on each clear normalized record and forwards, per matching rule, the protected record
 * (business key, protected value, the raw record's timestamp) with the rule's name in header {@value #RULE_HEADER}.
 * It runs in the normalize sub-topology, so its output commits in the same transaction as the normalized record.
 */
final class AlertProcessor implements Processor<byte[], Normalized, String, GenericRecord> {

    static final String RULE_HEADER = "lakestream.alert.rule";

    private record CompiledRule(String name, Predicate<GenericRecord> when, Counter matches) {
    }

    private final List<CompiledRule> rules = new ArrayList<>();
    private final FieldProtector protector;
    private ProcessorContext<String, GenericRecord> context;

    /** @param schema the clear normalized schema the rules were checked against */
    AlertProcessor(String pipeline, AlertConfig alerts, Schema schema, FieldProtector protector,
                   MeterRegistry metrics) {
        this.protector = protector;
        for (AlertConfig.Rule rule : alerts.rules()) {
            Counter matches = Counter.builder("lakestream.alerts").tag("pipeline", pipeline).tag("rule", rule.name())
                    .description("records matching an alert rule, copied to the alert topic").register(metrics);
            rules.add(new CompiledRule(rule.name(), RulePredicates.compile(rule.when(), schema), matches));
        }
    }

    @Override
    public void init(ProcessorContext<String, GenericRecord> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], Normalized> record) {
        Normalized protectedRecord = null;
        for (CompiledRule rule : rules) {
            if (rule.when().test(record.value().value())) {
                if (protectedRecord == null) {
                    protectedRecord = protector.protect(record.value());
                }
                rule.matches().increment();
                RecordHeaders headers = new RecordHeaders();
                headers.add(RULE_HEADER, rule.name().getBytes(StandardCharsets.UTF_8));
                context.forward(new Record<>(protectedRecord.key(), protectedRecord.value(), record.timestamp(),
                        headers));
            }
        }
    }
}
