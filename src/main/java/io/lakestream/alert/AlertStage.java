package io.lakestream.alert;

import io.lakestream.config.PipelineConfig;
import io.lakestream.port.Ports;
import io.lakestream.record.NormalizeOutcome.Normalized;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/** Adds a pipeline's alert rules (if any) to the normalize sub-topology: protected records in, copies out. */
public final class AlertStage {

    public static final String ALERTS = "alerts";
    public static final String ALERTS_SINK = "alerts-sink";
    /** Header naming the rule an alert record matched. */
    public static final String RULE_HEADER = AlertProcessor.RULE_HEADER;

    private AlertStage() {
    }

    /**
     * @param normalized the normalized records, protected, with their derived columns
     * @param records    their schema ({@code RecordSchemas.records})
     */
    public static void add(KStream<byte[], Normalized> normalized, PipelineConfig pipeline, Schema records,
                           Ports ports) {
        if (pipeline.alerts().rules().isEmpty()) {
            return;
        }
        String p = pipeline.name();
        normalized.process(() -> new AlertProcessor(p, pipeline.alerts(), records, ports.metrics()), Named.as(p + "-" + ALERTS))
                .to(pipeline.alerts().topic(), Produced.with(Serdes.String(), ports.registry().serde())
                        .withName(p + "-" + ALERTS_SINK));
    }
}
