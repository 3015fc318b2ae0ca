package io.lakestream.alert;

import io.lakestream.app.Ports;
import io.lakestream.config.PipelineConfig;
import io.lakestream.normalize.NormalizeOutcome.Normalized;
import io.lakestream.protect.FieldProtector;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/** Adds a pipeline's alert rules (if any) to the normalize sub-topology: clear records in, protected copies out. */
public final class AlertStage {

    public static final String ALERTS = "alerts";
    public static final String ALERTS_SINK = "alerts-sink";
    /** Header naming the rule an alert record matched. */
    public static final String RULE_HEADER = AlertProcessor.RULE_HEADER;

    private AlertStage() {
    }

    /** @param clear the normalized records before protection; {@code schema} is their schema */
    public static void add(KStream<byte[], Normalized> clear, PipelineConfig pipeline, Schema schema, Ports ports) {
        if (pipeline.alerts().rules().isEmpty()) {
            return;
        }
        String p = pipeline.name();
        clear.process(() -> new AlertProcessor(p, pipeline.alerts(), schema,
                        new FieldProtector(schema, pipeline.protection(), pipeline.key()), ports.metrics()),
                        Named.as(p + "-" + ALERTS))
                .to(pipeline.alerts().topic(), Produced.with(Serdes.String(), ports.registry().serde())
                        .withName(p + "-" + ALERTS_SINK));
    }
}
