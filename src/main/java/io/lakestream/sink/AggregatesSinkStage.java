package io.lakestream.sink;

import io.lakestream.app.Ports;
import io.lakestream.config.AggregationConfig;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.LandingConfig;
import io.lakestream.config.PipelineConfig;
import io.lakestream.iceberg.IcebergLayout;
import io.lakestream.normalize.ForeignRecords;
import io.lakestream.normalize.NormalizeOutcome.Normalized;
import io.lakestream.normalize.Owner;
import io.lakestream.window.DrainSignal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;
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

    /**
     * Header of an aggregation result: the aggregation task (its input partition, 4 bytes) that emitted it. The sink
     * waits for the slowest aggregation task, so one task's burst of closed windows does not make another's late.
     */
    public static final String UPSTREAM_HEADER = "lakestream.upstream";

    private AggregatesSinkStage() {
    }

    public static String storeName(String pipeline, String aggregation) {
        return pipeline + "-" + aggregation + "-aggregates-sink-buffer";
    }

    public static String processorName(String pipeline, String aggregation) {
        return pipeline + "-" + aggregation + "-aggregates-sink";
    }

    /** @param aggregationTasks number of tasks of the aggregation (partitions of its input topic) */
    public static void add(StreamsBuilder b, LakestreamConfig cfg, PipelineConfig p, AggregationConfig a,
                           Ports ports, int aggregationTasks) {
        LandingConfig landing = p.landing();
        // Aggregate rows have no record fields to partition by: only the time columns apply.
        List<String> partitionBy = landing.partitionBy().stream().filter(c -> c.equals("dt") || c.equals("hour"))
                .toList();
        SinkSpec spec = new SinkSpec(p.name(), a.table(), landing.window(), landing.grace(), landing.idleTimeout(),
                partitionBy,
                a.format() != null ? a.format() : cfg.lake().format(),
                cfg.lake().compression(), cfg.catalog().database(), cfg.lake().prefix(), a.topic(),
                storeName(p.name(), a.name()), processorName(p.name(), a.name()), List.of(a.topic()),
                DrainSignal.Stage.RESULTS, cfg.application().windowBuffer(), aggregationTasks,
                IcebergLayout.of(cfg, a.table(), partitionBy, WINDOW_START_FIELD));
        Deserializer<GenericRecord> values = ports.registry().deserializer();
        byte[] owner = Owner.of(cfg.application().id());
        // Another application's results are skipped, live and on replay alike, before they are deserialized (their
        // schema versions may be in a registry this application does not use).
        ReplayDecoder decoder = r -> Owner.foreign(r.headers(), owner) ? null
                : result(r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                values.deserialize(r.topic(), r.headers(), r.value()), r.topic(), r.partition(), r.offset(),
                r.timestamp());
        ForeignRecords foreign = new ForeignRecords(p.name(), a.topic(), ports.metrics());
        KStream<String, Normalized> results = b
                .stream(a.topic(), Consumed.with(Serdes.String(), Serdes.ByteArray())
                        .withName(spec.processorName() + "-source"))
                .processValues(() -> new WithCoordinates(owner, foreign.reader(), values),
                        Named.as(spec.processorName() + "-coordinates"));
        SinkTopology.add(b, results, spec, ports, cfg.landingsTopic(), decoder);
    }

    /** Wraps a result with its topic, partition and offset, which only the processor context knows. */
    private static final class WithCoordinates implements FixedKeyProcessor<String, byte[], Normalized> {
        private final byte[] owner;
        private final ForeignRecords.Reader foreign;
        private final Deserializer<GenericRecord> values;
        private FixedKeyProcessorContext<String, Normalized> context;

        WithCoordinates(byte[] owner, ForeignRecords.Reader foreign, Deserializer<GenericRecord> values) {
            this.owner = owner;
            this.foreign = foreign;
            this.values = values;
        }

        @Override
        public void init(FixedKeyProcessorContext<String, Normalized> context) {
            this.context = context;
        }

        @Override
        public void process(FixedKeyRecord<String, byte[]> record) {
            if (Owner.foreign(record.headers(), owner)) {
                foreign.skipped(context);
                return;
            }
            RecordMetadata source = context.recordMetadata().orElseThrow();
            GenericRecord value = values.deserialize(source.topic(), record.headers(), record.value());
            context.forward(record.withValue(result(record.key(), value, source.topic(),
                    source.partition(), source.offset(), record.timestamp())));
        }
    }

    /** An aggregation result as the sink takes it: event time = window start, lineage = its own coordinates. */
    private static Normalized result(String key, GenericRecord value, String topic, int partition, long offset,
                                     long timestamp) {
        Object start = value.get(WINDOW_START_FIELD);
        long windowStart = start instanceof java.time.Instant instant ? instant.toEpochMilli()
                : ((Number) start).longValue();
        return new Normalized(key, value, windowStart, topic, partition, offset, timestamp);
    }
}
