package io.lakestream.normalize;

import io.lakestream.expr.ExpressionException;
import io.lakestream.record.NormalizeOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses and coerces each raw record into a {@link NormalizeOutcome}, protected and shaped ({@link RecordShaper}):
 * every input yields exactly one outcome, or is counted as filtered out, so no record can vanish here, and bad input
 * never stops the stream.
 */
final class NormalizeProcessor implements FixedKeyProcessor<byte[], byte[], NormalizeOutcome> {

    private static final Logger log = LoggerFactory.getLogger(NormalizeProcessor.class);

    private final String pipeline;
    private final NormalizeSteps steps;
    private final Counter recordsIn;
    private final Counter recordsOut;
    private final Counter filtered;
    private FixedKeyProcessorContext<byte[], NormalizeOutcome> context;

    NormalizeProcessor(String pipeline, NormalizeSteps steps, MeterRegistry metrics) {
        this.pipeline = pipeline;
        this.steps = steps;
        this.recordsIn = Counter.builder("lakestream.records.in").tag("pipeline", pipeline)
                .description("raw records read").register(metrics);
        this.recordsOut = Counter.builder("lakestream.records.out").tag("pipeline", pipeline)
                .description("records normalized").register(metrics);
        this.filtered = Counter.builder("lakestream.records.filtered").tag("pipeline", pipeline)
                .description("records normalized that the pipeline's filter left out").register(metrics);
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], NormalizeOutcome> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<byte[], byte[]> record) {
        recordsIn.increment();
        RecordMetadata meta = context.recordMetadata().orElseThrow(
                () -> new IllegalStateException("normalize runs on source records, which always have metadata"));
        NormalizeOutcome outcome;
        try {
            NormalizeOutcome.Normalized shaped = steps.apply(record.value(), record.headers(), meta.topic(),
                    meta.partition(), meta.offset(), record.timestamp());
            if (shaped == null) {
                // Left out on purpose: counted, not a dead letter; the offset is accounted for by the metric.
                filtered.increment();
                log.trace("Filtered out record pipeline={} topic={} partition={} offset={}", pipeline, meta.topic(),
                        meta.partition(), meta.offset());
                return;
            }
            outcome = shaped;
            recordsOut.increment();
            log.trace("Normalized record pipeline={} topic={} partition={} offset={}", pipeline, meta.topic(),
                    meta.partition(), meta.offset());
        } catch (RuntimeException e) {
            if (!(e instanceof NormalizeException) && !(e instanceof ExpressionException)) {
                // A bug, not bad data; still the record must not be lost or stop every other record behind it.
                // With protection on, the exception (its message may hold raw values) is not logged, only its type.
                if (steps.redacts()) {
                    log.error("Unexpected error normalizing pipeline={} topic={} partition={} offset={}: {}",
                            pipeline, meta.topic(), meta.partition(), meta.offset(), e.getClass().getName());
                } else {
                    log.error("Unexpected error normalizing pipeline={} topic={} partition={} offset={}", pipeline,
                            meta.topic(), meta.partition(), meta.offset(), e);
                }
            }
            SampleNormalizer.Reason why = steps.reason(e);
            outcome = new NormalizeOutcome.DeadLetter(why.errorClass(), why.message(), record.key(), record.value(),
                    meta.topic(), meta.partition(), meta.offset(), record.timestamp());
        }
        context.forward(record.withValue(outcome));
    }
}
