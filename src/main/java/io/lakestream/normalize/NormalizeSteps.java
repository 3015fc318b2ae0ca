package io.lakestream.normalize;

import io.lakestream.config.PipelineConfig;
import io.lakestream.expr.ExpressionException;
import io.lakestream.record.NormalizeOutcome.Normalized;
import org.apache.avro.Schema;
import org.apache.kafka.common.header.Headers;

/**
 * The normalize stage's decision for one raw record, in one place for the live processor, the replay that rebuilds a
 * sink's open windows and {@code check --sample}, so that the three cannot differ: normalized (its event time
 * truncated when the field is), within the event-time bounds, small enough for the output topic, then protected,
 * extended and filtered ({@link RecordShaper}) — or a dead letter, with the class and message the DLQ carries. Not
 * thread-safe (the shaper is not): one per processor or thread.
 */
final class NormalizeSteps {

    private final Normalizer normalizer;
    private final EventTimeBounds bounds;
    private final OutputSizeGuard outputSize;
    private final RecordShaper shaper;
    private final boolean redact;

    /** @param schema the pipeline's schema as configured (before protection) */
    NormalizeSteps(PipelineConfig pipeline, Schema schema) {
        this.normalizer = new Normalizer(pipeline, schema);
        this.bounds = new EventTimeBounds(pipeline);
        this.outputSize = new OutputSizeGuard(pipeline);
        this.shaper = new RecordShaper(pipeline, schema);
        this.redact = !pipeline.protection().isEmpty();
    }

    /**
     * @param kafkaTimestamp the raw record's timestamp as the live path reads it (see {@link RawTimestampExtractor})
     * @return the record as every later stage sees it, or null when the pipeline's filter leaves it out
     * @throws RuntimeException a dead letter; {@link #reason} says which
     */
    Normalized apply(byte[] value, Headers headers, String topic, int partition, long offset, long kafkaTimestamp) {
        Normalizer.Result r = normalizer.normalize(value);
        // Judged against the record's own Kafka timestamp (the clock of its producer or broker, within an hour of the
        // wall clock on a Kafka 4 broker), not the wall clock of the moment: a replay after a restart must take the
        // same decision for the same record.
        bounds.check(r.eventTimeMillis(), kafkaTimestamp);
        outputSize.check(value, r, headers);
        return shaper.shape(new Normalized(r.key(), r.value(), r.eventTimeMillis(), topic, partition, offset,
                kafkaTimestamp));
    }

    /**
     * The dead letter's error class and message for what {@link #apply} threw. With protection on, a record-level
     * message has its quoted spans cut (they may be a protected field's value) and an unexpected exception is named by
     * its type only.
     */
    SampleNormalizer.Reason reason(RuntimeException e) {
        if (e instanceof ExpressionException) {
            return new SampleNormalizer.Reason(ErrorClass.EXPRESSION_ERROR.name(), e.getMessage());
        }
        if (e instanceof NormalizeException n) {
            return new SampleNormalizer.Reason(n.errorClass().name(), redact && !n.fieldLevel()
                    ? Redaction.quoted(n.getMessage()) : n.getMessage());
        }
        return new SampleNormalizer.Reason(ErrorClass.INTERNAL_ERROR.name(), redact ? e.getClass().getName()
                : e.toString());
    }

    /** True when record-level messages and logs must not quote raw content. */
    boolean redacts() {
        return redact;
    }
}
