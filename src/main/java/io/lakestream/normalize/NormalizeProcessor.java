package io.lakestream.normalize;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses and coerces each raw record into a {@link NormalizeOutcome}: every input yields exactly one outcome, so no
 * record can vanish here, and bad input never stops the stream.
 */
final class NormalizeProcessor implements FixedKeyProcessor<byte[], byte[], NormalizeOutcome> {

    private static final Logger log = LoggerFactory.getLogger(NormalizeProcessor.class);

    private final String pipeline;
    private final Normalizer normalizer;
    private final EventTimeBounds bounds;
    private final OutputSizeGuard outputSize;
    private final Counter recordsIn;
    private final Counter recordsOut;
    private FixedKeyProcessorContext<byte[], NormalizeOutcome> context;

    NormalizeProcessor(String pipeline, Normalizer normalizer, EventTimeBounds bounds, OutputSizeGuard outputSize,
                       MeterRegistry metrics) {
        this.pipeline = pipeline;
        this.normalizer = normalizer;
        this.bounds = bounds;
        this.outputSize = outputSize;
        this.recordsIn = Counter.builder("lakestream.records.in").tag("pipeline", pipeline)
                .description("raw records read").register(metrics);
        this.recordsOut = Counter.builder("lakestream.records.out").tag("pipeline", pipeline)
                .description("records normalized").register(metrics);
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
            bounds.check(r.eventTimeMillis(), context.currentSystemTimeMs());
            outputSize.check(record.value(), r, record.headers());
            outcome = new NormalizeOutcome.Normalized(r.key(), r.value(), r.eventTimeMillis(), meta.topic(),
                    meta.partition(), meta.offset(), record.timestamp());
            recordsOut.increment();
            log.trace("Normalized record pipeline={} topic={} partition={} offset={} key={}", pipeline, meta.topic(),
                    meta.partition(), meta.offset(), r.key());
        } catch (NormalizeException e) {
            outcome = deadLetter(record, meta, e.errorClass(), e.getMessage());
        } catch (RuntimeException e) {
            // A bug, not bad data; still the record must not be lost or stop every other record behind it.
            log.error("Unexpected error normalizing pipeline={} topic={} partition={} offset={}", pipeline,
                    meta.topic(), meta.partition(), meta.offset(), e);
            outcome = deadLetter(record, meta, ErrorClass.INTERNAL_ERROR, e.toString());
        }
        context.forward(record.withValue(outcome));
    }

    private static NormalizeOutcome.DeadLetter deadLetter(FixedKeyRecord<byte[], byte[]> record, RecordMetadata meta,
                                                          ErrorClass errorClass, String message) {
        return new NormalizeOutcome.DeadLetter(errorClass.name(), message, record.key(), record.value(), meta.topic(),
                meta.partition(), meta.offset(), record.timestamp());
    }
}
