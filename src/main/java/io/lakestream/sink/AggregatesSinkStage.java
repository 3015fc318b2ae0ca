package io.lakestream.sink;

import java.util.List;
import io.lakestream.app.Ports;
import io.lakestream.config.AggregationConfig;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.LandingConfig;
import io.lakestream.config.PipelineConfig;
import io.lakestream.iceberg.IcebergLayout;
import io.lakestream.normalize.NormalizeOutcome.Normalized;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The aggregates sink: reads an aggregation's output topic back and lands it in the aggregates table with the same
 * mechanism as the records sink; the source coordinates (lineage) are the aggregation topic's partition and offset,
 * and event time is the result's window start. Landing window, grace, idle timeout and partition layout are the
 * pipeline's landing settings; results arriving after their landing window closed land in late objects.
 */
public final class AggregatesSinkStage {

    /** Field of an aggregate result holding its window start; its event time in the aggregates table. */
    public static final String WINDOW_START_FIELD = "window_start";

    private AggregatesSinkStage() {
    }

    public static String storeName(String pipeline, String aggregation) {
        return pipeline + "-" + aggregation + "-aggregates-sink-buffer";
    }

    public static String processorName(String pipeline, String aggregation) {
        return pipeline + "-" + aggregation + "-aggregates-sink";
    }

    public static void add(StreamsBuilder b, LakestreamConfig cfg, PipelineConfig p, AggregationConfig a,
                           Ports ports) {
        LandingConfig landing = p.landing();
        SinkSpec spec = new SinkSpec(p.name(), a.table(), landing.window(), landing.grace(), landing.idleTimeout(),
                landing.partitionBy(), a.format() != null ? a.format() : cfg.lake().format(),
                cfg.lake().compression(), cfg.catalog().database(), cfg.lake().prefix(), a.topic(),
                storeName(p.name(), a.name()), processorName(p.name(), a.name()), List.of(a.topic()),
                DrainSignal.Stage.RESULTS, IcebergLayout.of(cfg, a.table(), landing.partitionBy(), WINDOW_START_FIELD));
        KStream<String, Normalized> results = b
                .stream(a.topic(), Consumed.with(Serdes.String(), ports.registry().serde())
                        .withName(spec.processorName() + "-source"))
                .processValues(WithCoordinates::new, Named.as(spec.processorName() + "-coordinates"));
        SinkTopology.add(b, results, spec, ports, cfg.landingsTopic());
    }

    /** Wraps a result with its topic, partition and offset, which only the processor context knows. */
    private static final class WithCoordinates implements FixedKeyProcessor<String, GenericRecord, Normalized> {
        private FixedKeyProcessorContext<String, Normalized> context;

        @Override
        public void init(FixedKeyProcessorContext<String, Normalized> context) {
            this.context = context;
        }

        @Override
        public void process(FixedKeyRecord<String, GenericRecord> record) {
            RecordMetadata source = context.recordMetadata().orElseThrow();
            Object start = record.value().get(WINDOW_START_FIELD);
            long windowStart = start instanceof java.time.Instant instant ? instant.toEpochMilli()
                    : ((Number) start).longValue();
            context.forward(record.withValue(new Normalized(record.key(), record.value(), windowStart,
                    source.topic(), source.partition(), source.offset(), record.timestamp())));
        }
    }
}
