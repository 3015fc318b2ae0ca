package io.lakestream.sink;

import io.lakestream.config.AggregationConfig;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.PipelineConfig;
import io.lakestream.port.Ports;
import io.lakestream.record.ForeignRecords;
import io.lakestream.record.NormalizeOutcome.Normalized;
import io.lakestream.record.Owner;
import io.lakestream.record.ReplayDecoder;
import io.lakestream.window.UpstreamMark;
import java.nio.charset.StandardCharsets;
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
 * and event time is the result's window start. Landing window, idle timeout and partition layout are the pipeline's
 * landing settings. Its watermark is not the results' window starts but the aggregation tasks' progress marks
 * ({@link UpstreamMark}): a landing window closes as soon as every aggregation task has emitted all its results for
 * it, with no grace of its own (the aggregation applied its grace). Results arriving after their landing window
 * closed (from a task left out while silent) land in late objects.
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

    /**
     * @param aggregationTasks number of tasks of the aggregation (partitions of its input topic)
     * @param layouts          the layout of each table
     */
    public static void add(StreamsBuilder b, LakestreamConfig cfg, PipelineConfig p, AggregationConfig a,
                           Ports ports, int aggregationTasks, TableLayouts layouts) {
        SinkSpec spec = SinkSpec.aggregates(cfg, p, a, storeName(p.name(), a.name()), processorName(p.name(), a.name()),
                aggregationTasks, layouts, WINDOW_START_FIELD);
        Deserializer<GenericRecord> values = ports.registry().deserializer();
        byte[] owner = Owner.of(cfg.application().id());
        // Another application's results are skipped, live and on replay alike, before they are deserialized (their
        // schema versions may be in a registry this application does not use). A progress mark is no row: replay
        // skips it (the closure log, not the marks, places replayed results).
        ReplayDecoder decoder = r -> Owner.foreign(r.headers(), owner) || r.value() == null ? null
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
            // A progress mark has no value (see result).
            GenericRecord value = record.value() == null ? null
                    : values.deserialize(source.topic(), record.headers(), record.value());
            context.forward(record.withValue(result(record.key(), value, source.topic(),
                    source.partition(), source.offset(), record.timestamp())));
        }
    }

    /**
     * An aggregation result as the sink takes it: event time = window start, lineage = its own coordinates. A
     * progress mark has no value: it stays a record with no value, which moves the watermark and lands nothing.
     */
    private static Normalized result(String key, GenericRecord value, String topic, int partition, long offset,
                                     long timestamp) {
        if (value == null) {
            return new Normalized(key, null, Long.MIN_VALUE, topic, partition, offset, timestamp);
        }
        Object start = value.get(WINDOW_START_FIELD);
        long windowStart = start instanceof java.time.Instant instant ? instant.toEpochMilli()
                : ((Number) start).longValue();
        return new Normalized(key, value, windowStart, topic, partition, offset, timestamp);
    }
}
