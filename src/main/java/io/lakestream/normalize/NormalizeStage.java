package io.lakestream.normalize;

import io.lakestream.config.PipelineConfig;
import io.lakestream.port.Ports;
import io.lakestream.protect.FieldProtector;
import io.lakestream.record.NormalizeOutcome;
import io.lakestream.record.ReplayDecoder;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Adds one pipeline's normalize stage to a topology: raw topics → typed records on the output topic (key = business
 * key, the raw record's timestamp, value in the registry's wire format) and dead letters on the DLQ topic (original key
 * and value bytes, reason and coordinates in headers). Normalized records pass through field protection (see
 * {@link FieldProtector}), derived columns and the filter ({@link RecordShaper}) in the normalize processor, before
 * anything downstream sees them.
 *
 * <p>Processor names are {@code <pipeline>-<suffix>} with the suffixes below, stable across releases.
 */
public final class NormalizeStage {

    public static final String SOURCE = "normalize-source";
    public static final String NORMALIZE = "normalize";
    public static final String SPLIT = "normalize-split-";
    public static final String DEAD_LETTERS = "dead-letters";
    public static final String NORMALIZED = "normalized";
    public static final String DLQ_HEADERS = "normalize-dlq-headers";
    public static final String DLQ_SINK = "normalize-dlq-sink";
    public static final String AS_NORMALIZED = "normalize-as-normalized";
    public static final String PROTECT = "protect";
    public static final String KEY_BY_BUSINESS_KEY = "normalize-key-by-business-key";
    public static final String OUTPUT_SINK = "normalize-output-sink";

    /** DLQ header names (values are UTF-8 text). */
    public static final String HEADER_ERROR_CLASS = DeadLetterProcessor.ERROR_CLASS;
    public static final String HEADER_ERROR_MESSAGE = DeadLetterProcessor.ERROR_MESSAGE;
    public static final String HEADER_SOURCE_TOPIC = DeadLetterProcessor.SOURCE_TOPIC;
    public static final String HEADER_SOURCE_PARTITION = DeadLetterProcessor.SOURCE_PARTITION;
    public static final String HEADER_SOURCE_OFFSET = DeadLetterProcessor.SOURCE_OFFSET;
    public static final String HEADER_SOURCE_TIMESTAMP = DeadLetterProcessor.SOURCE_TIMESTAMP;
    public static final String HEADER_PIPELINE = DeadLetterProcessor.PIPELINE;

    private NormalizeStage() {
    }

    /**
     * @param pipeline a validated pipeline
     * @param schema   its parsed schema ({@code pipeline.schemaFile()})
     * @param ports    the registry serde writes the output topic; the meter registry counts records
     * @return the protected normalized records with their derived columns, filtered, keyed by the raw key bytes as
     *         read, for downstream stages (their schema is {@code RecordSchemas.records(schema, pipeline)})
     */
    public static KStream<byte[], NormalizeOutcome.Normalized> add(StreamsBuilder builder, PipelineConfig pipeline,
                                                                   Schema schema, Ports ports) {
        String p = pipeline.name();
        KStream<byte[], NormalizeOutcome> outcomes = builder
                .stream(pipeline.source().topics(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withTimestampExtractor(new RawTimestampExtractor(p, ports.metrics()))
                        .withName(name(p, SOURCE)))
                .processValues(() -> new NormalizeProcessor(p, new NormalizeSteps(pipeline, schema), ports.metrics()),
                        Named.as(name(p, NORMALIZE)));

        String splitPrefix = name(p, SPLIT);
        Map<String, KStream<byte[], NormalizeOutcome>> branches = outcomes
                .split(Named.as(splitPrefix))
                .branch((key, outcome) -> outcome instanceof NormalizeOutcome.DeadLetter, Branched.as(DEAD_LETTERS))
                .defaultBranch(Branched.as(NORMALIZED));

        DeadLetterLog deadLetterLog = new DeadLetterLog(p);
        branches.get(splitPrefix + DEAD_LETTERS)
                .process(() -> new DeadLetterProcessor(p, DeadLetterOverflow.of(pipeline, ports), ports.metrics(),
                                pipeline.protection().dlqIncludeOriginal(), deadLetterLog),
                        Named.as(name(p, DLQ_HEADERS)))
                .to(pipeline.dlqTopic(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(name(p, DLQ_SINK)));

        KStream<byte[], NormalizeOutcome.Normalized> normalized = branches.get(splitPrefix + NORMALIZED)
                .mapValues(outcome -> (NormalizeOutcome.Normalized) outcome, Named.as(name(p, AS_NORMALIZED)));
        toOutputTopic(normalized, pipeline, ports);
        return normalized;
    }

    /**
     * Writes normalized records to the pipeline's output topic, keyed by business key, with a {@link SourceHeader}
     * when an aggregation reads the topic (one grouped by the key); without one, the 22 bytes a record are saved.
     */
    public static void toOutputTopic(KStream<byte[], NormalizeOutcome.Normalized> normalized, PipelineConfig pipeline,
                                     Ports ports) {
        String p = pipeline.name();
        List<String> topics = pipeline.aggregations().stream().anyMatch(a -> a.groupBy().equals(pipeline.key()))
                ? pipeline.source().topics() : null;
        normalized.process(() -> new BusinessKeyer(topics), Named.as(name(p, KEY_BY_BUSINESS_KEY)))
                .to(pipeline.outputTopic(), Produced.with(Serdes.String(), ports.registry().serde())
                        .withName(name(p, OUTPUT_SINK)));
    }

    /**
     * What the normalize stage hands downstream for a raw record read again (normalized, then protected), or null for
     * a dead letter: the records sink rebuilds its open windows with it after a restart. The same normalizer and
     * protection as the live path, so a replayed record comes out as it did the first time.
     *
     * @param schema the pipeline's schema as configured (before protection)
     */
    public static ReplayDecoder replayDecoder(PipelineConfig pipeline, Schema schema) {
        // The steps are not thread-safe; stream threads replay at the same time.
        ThreadLocal<NormalizeSteps> steps = ThreadLocal.withInitial(() -> new NormalizeSteps(pipeline, schema));
        return record -> {
            try {
                // As RawTimestampExtractor, less the partition time a replay does not know. A Kafka timestamp at or
                // before the live run's clock is the same reference both times; one ahead of it (a producer clock
                // ahead of ours) was cut to the live clock and now to a later one: the two decisions differ only for
                // an event time more than max-future ahead of the live clock and within it of the replay's. Null when
                // filtered out, as the first time.
                return steps.get().apply(record.value(), record.headers(), record.topic(), record.partition(),
                        record.offset(), RawTimestampExtractor.replayed(record.timestamp()));
            } catch (RuntimeException e) {
                return null; // a dead letter the first time too (NormalizeException, EXPRESSION_ERROR or INTERNAL_ERROR)
            }
        };
    }

    /** The processor name of {@code suffix} in pipeline {@code pipeline}. */
    public static String name(String pipeline, String suffix) {
        return pipeline + "-" + suffix;
    }
}
