package io.lakestream.aggregate;

import io.lakestream.config.AggregationConfig;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.PipelineConfig;
import io.lakestream.port.Ports;
import io.lakestream.record.NormalizeOutcome.Normalized;
import io.lakestream.record.Owner;
import io.lakestream.window.EventTimeClock;
import io.lakestream.window.LateRecords;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.Stores;

/**
 * One windowed aggregation of a pipeline: grouped by the record key, it reads the normalized topic as partitioned;
 * grouped by other fields, it repartitions a {@link Projection} by them. Then it aggregates per (group, window)
 * in a changelogged store, emit the final result per (group, window) when the window closes to the aggregation
 * topic (Avro, schema from {@link AggregateSchemas}, registered through the registry serde), which the aggregates
 * sink ({@link io.lakestream.sink.AggregatesSinkStage}) lands. Window closing: see {@link WindowAggregateProcessor}.
 */
public final class AggregateStage {

    private AggregateStage() {
    }

    /**
     * Name of the repartition step of an aggregation not grouped by the record key; its topic is
     * {@code <app-id>-<name>-repartition}.
     */
    public static String repartitionName(String pipeline, String aggregation) {
        return pipeline + "-" + aggregation + "-by-group";
    }

    /** Accumulator store; its changelog is {@code <app-id>-<name>-changelog}. */
    public static String storeName(String pipeline, String aggregation) {
        return pipeline + "-" + aggregation + "-aggregate-store";
    }

    public static String processorName(String pipeline, String aggregation) {
        return pipeline + "-" + aggregation + "-aggregate";
    }

    /** The Avro schema of the aggregation's results (and rows of its aggregates table, before lineage). */
    public static Schema resultSchema(Schema input, AggregationConfig a) {
        return AggregateSchemas.result(input, a);
    }

    /**
     * @param schema           the pipeline's normalized schema: the result schema's group-by and measure types come
     *                         from it
     * @param sourcePartitions partition count of each source topic of the pipeline: every source partition holds
     *                         the aggregation's watermark back until it has sent records or been idle (see
     *                         {@link WindowAggregateProcessor})
     * @throws IllegalArgumentException when a group-by or measure field is missing or of an unsuitable type
     */
    public static void add(StreamsBuilder b, AggregationInputs inputs, LakestreamConfig cfg, AggregationConfig a,
                           Schema schema, Ports ports, Map<String, Integer> sourcePartitions) {
        PipelineConfig p = inputs.pipeline();
        List<String> upstreams = new ArrayList<>();
        for (String topic : p.source().topics()) {
            int partitions = sourcePartitions.getOrDefault(topic, 1);
            for (int i = 0; i < partitions; i++) {
                upstreams.add(EventTimeClock.source(topic, i));
            }
        }
        Accumulators accumulators = new Accumulators(schema, a, ports.metrics().counter(
                "lakestream.measure.errors", "pipeline", p.name(), "aggregation", a.name()));
        String store = storeName(p.name(), a.name());
        String processor = processorName(p.name(), a.name());
        // Cached: an accumulator and the watermarks are rewritten on every record; the cache sends each key to
        // the changelog once per commit instead.
        b.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.Bytes(),
                Serdes.ByteArray()).withCachingEnabled());
        LateRecords late = new LateRecords("pipeline " + p.name() + " aggregation " + a.name(),
                Counter.builder(LateRecords.LEFT_OUT_METRIC).tags("pipeline", p.name(), "aggregation", a.name())
                        .description("records left out of an aggregation's windows, closed when they came")
                        .register(ports.metrics()));
        // Well within the aggregates sink's idle timeout, after which a task it has not heard from is left out.
        Duration markEvery = min(a.window().idleTimeout(), p.landing().idleTimeout()).dividedBy(4);
        KStream<String, Normalized> grouped;
        boolean byKey = inputs.groupedByKey(a.groupBy());
        if (byKey) {
            grouped = inputs.byKey();
        } else {
            Projection projection = new Projection(schema, a, p.source().topics());
            grouped = inputs.normalized()
                    .map((k, n) -> KeyValue.pair(accumulators.groupKey(n.value()), projection.project(n)),
                            Named.as(processor + "-rekey"))
                    .repartition(Repartitioned.with(Serdes.String(), projection)
                            .withName(repartitionName(p.name(), a.name())));
        }
        byte[] owner = Owner.of(cfg.application().id());
        grouped.process(() -> new WindowAggregateProcessor(p.name(), a.name(), store, a.window(), accumulators,
                        late, ports.drain(), upstreams, byKey, markEvery), Named.as(processor), store)
                .processValues(() -> new StampOwner(owner), Named.as(processor + "-owner"))
                .to(a.topic(), Produced.with(Serdes.String(), ports.registry().serde()).withName(processor + "-out")
                        .withStreamPartitioner(AggregateStage::partitions));
    }

    /** Results go where their key hashes to (the default); a progress mark (no value) goes to every partition. */
    private static Optional<Set<Integer>> partitions(String topic, String key, GenericRecord value, int partitions) {
        if (value != null) {
            return Optional.empty();
        }
        return Optional.of(IntStream.range(0, partitions).boxed().collect(Collectors.toSet()));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /**
     * Tasks of an aggregation: the normalized topic and a repartition topic have as many partitions as the
     * pipeline's widest source topic.
     */
    public static int tasks(PipelineConfig p, Map<String, Integer> sourcePartitions) {
        return Math.max(1, p.source().topics().stream().mapToInt(t -> sourcePartitions.getOrDefault(t, 1)).max()
                .orElse(1));
    }

    /** Stamps each result with its application's {@link Owner}: the aggregates sink skips other applications'. */
    private static final class StampOwner implements FixedKeyProcessor<String, GenericRecord, GenericRecord> {
        private final byte[] owner;
        private FixedKeyProcessorContext<String, GenericRecord> context;

        StampOwner(byte[] owner) {
            this.owner = owner;
        }

        @Override
        public void init(FixedKeyProcessorContext<String, GenericRecord> context) {
            this.context = context;
        }

        @Override
        public void process(FixedKeyRecord<String, GenericRecord> record) {
            Headers headers = new RecordHeaders(record.headers().toArray());
            Owner.stamp(headers, owner);
            context.forward(record.withHeaders(headers));
        }
    }
}
