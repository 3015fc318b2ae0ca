package io.lakestream.aggregate;

import io.lakestream.config.PipelineConfig;
import io.lakestream.port.Ports;
import io.lakestream.record.ForeignRecords;
import io.lakestream.record.NormalizeOutcome.Normalized;
import io.lakestream.record.Owner;
import io.lakestream.record.SourceHeader;
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

/**
 * Where a pipeline's aggregations read from. The normalized topic is keyed and partitioned by the business key, so
 * an aggregation grouped by exactly the key fields reads it directly ({@link #byKey()}, one source shared by every
 * such aggregation of the pipeline) and costs no Kafka write of its own; any other grouping repartitions a
 * projection of the in-flight normalized records ({@link #normalized()}).
 */
public final class AggregationInputs {

    private final StreamsBuilder builder;
    private final KStream<byte[], Normalized> normalized;
    private final PipelineConfig pipeline;
    private final Ports ports;
    private KStream<String, Normalized> byKey;

    /** @param normalized the normalize stage's output, in the normalize sub-topology */
    public AggregationInputs(StreamsBuilder builder, KStream<byte[], Normalized> normalized, PipelineConfig pipeline,
                             Ports ports) {
        this.builder = builder;
        this.normalized = normalized;
        this.pipeline = pipeline;
        this.ports = ports;
    }

    /** Source processor name of the normalized topic, when an aggregation reads it. */
    public static String sourceName(String pipeline) {
        return pipeline + "-normalized-source";
    }

    PipelineConfig pipeline() {
        return pipeline;
    }

    KStream<byte[], Normalized> normalized() {
        return normalized;
    }

    /** Whether aggregation grouped by {@code groupBy} can read the normalized topic as it is partitioned. */
    boolean groupedByKey(List<String> groupBy) {
        return groupBy.equals(pipeline.key());
    }

    /**
     * The normalized topic, each record with its event time and raw coordinates from its {@link SourceHeader}; records
     * another application wrote (see {@link io.lakestream.record.Owner}) are skipped.
     */
    KStream<String, Normalized> byKey() {
        if (byKey == null) {
            List<String> topics = pipeline.source().topics();
            String name = sourceName(pipeline.name());
            ForeignRecords foreign = new ForeignRecords(pipeline.name(), pipeline.outputTopic(), ports.metrics());
            Deserializer<GenericRecord> values = ports.registry().deserializer();
            // Values are deserialized after the owner check: another application's records may name schema versions
            // of a registry this one does not use.
            byKey = builder.stream(pipeline.outputTopic(), Consumed.with(Serdes.String(), Serdes.ByteArray())
                            .withName(name))
                    .processValues(() -> new FromHeader(topics, foreign.reader(), values),
                            Named.as(name + "-coordinates"));
        }
        return byKey;
    }

    private static final class FromHeader implements FixedKeyProcessor<String, byte[], Normalized> {
        private final List<String> topics;
        private final ForeignRecords.Reader foreign;
        private final Deserializer<GenericRecord> values;
        private FixedKeyProcessorContext<String, Normalized> context;
        private byte[] owner;

        FromHeader(List<String> topics, ForeignRecords.Reader foreign, Deserializer<GenericRecord> values) {
            this.topics = topics;
            this.foreign = foreign;
            this.values = values;
        }

        @Override
        public void init(FixedKeyProcessorContext<String, Normalized> context) {
            this.context = context;
            this.owner = Owner.of(context.applicationId());
        }

        @Override
        public void process(FixedKeyRecord<String, byte[]> record) {
            SourceHeader.Source s = SourceHeader.read(record.headers(), topics);
            if (s.foreign(owner)) {
                foreign.skipped(context);
                return;
            }
            GenericRecord value = values.deserialize(context.recordMetadata().orElseThrow().topic(), record.headers(),
                    record.value());
            context.forward(record.withValue(new Normalized(record.key(), value, s.eventTime(), s.topic(),
                    s.partition(), s.offset(), record.timestamp())));
        }
    }
}
