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
    private final Normalizer normalizer;
    private final boolean redact;
    private final EventTimeBounds bounds;
    private final OutputSizeGuard outputSize;
    private final Counter recordsIn;
    private final Counter recordsOut;
    private final Counter filtered;
    private final RecordShaper shaper;
    private FixedKeyProcessorContext<byte[], NormalizeOutcome> context;

    /** @param redact the pipeline protects fields: record-level messages must not quote raw content */
    NormalizeProcessor(String pipeline, Normalizer normalizer, boolean redact, EventTimeBounds bounds,
                       OutputSizeGuard outputSize, RecordShaper shaper, MeterRegistry metrics) {
        this.shaper = shaper;
        this.pipeline = pipeline;
        this.normalizer = normalizer;
        this.redact = redact;
        this.bounds = bounds;
        this.outputSize = outputSize;
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
            Normalizer.Result r = normalizer.normalize(record.value());
            // Judged against the record's own Kafka timestamp (the clock of its producer or broker, within an hour
            // of the wall clock on a Kafka 4 broker), not the wall clock of the moment: a replay after a restart
            // must take the same decision for the same record.
            bounds.check(r.eventTimeMillis(), record.timestamp());
            outputSize.check(record.value(), r, record.headers());
            NormalizeOutcome.Normalized shaped = shaper.shape(new NormalizeOutcome.Normalized(r.key(), r.value(),
                    r.eventTimeMillis(), meta.topic(), meta.partition(), meta.offset(), record.timestamp()));
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
        } catch (ExpressionException e) {
            outcome = deadLetter(record, meta, ErrorClass.EXPRESSION_ERROR, e.getMessage());
        } catch (NormalizeException e) {
            String message = redact && !e.fieldLevel() ? Redaction.quoted(e.getMessage()) : e.getMessage();
            outcome = deadLetter(record, meta, e.errorClass(), message);
        } catch (RuntimeException e) {
            // A bug, not bad data; still the record must not be lost or stop every other record behind it.
            // With protection on, the exception (its message may hold raw values) is not logged, only its type.
            if (redact) {
                log.error("Unexpected error normalizing pipeline={} topic={} partition={} offset={}: {}", pipeline,
                        meta.topic(), meta.partition(), meta.offset(), e.getClass().getName());
            } else {
                log.error("Unexpected error normalizing pipeline={} topic={} partition={} offset={}", pipeline,
                        meta.topic(), meta.partition(), meta.offset(), e);
            }
            outcome = deadLetter(record, meta, ErrorClass.INTERNAL_ERROR, redact ? e.getClass().getName()
                    : e.toString());
        }
        context.forward(record.withValue(outcome));
    }

    private static NormalizeOutcome.DeadLetter deadLetter(FixedKeyRecord<byte[], byte[]> record, RecordMetadata meta,
                                                          ErrorClass errorClass, String message) {
        return new NormalizeOutcome.DeadLetter(errorClass.name(), message, record.key(), record.value(), meta.topic(),
                meta.partition(), meta.offset(), record.timestamp());
    }
}
