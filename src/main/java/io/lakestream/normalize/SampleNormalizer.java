package io.lakestream.normalize;

import io.lakestream.config.PipelineConfig;
import io.lakestream.record.NormalizeOutcome.Normalized;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Normalizes a raw record exactly as the running pipeline would ({@link NormalizeSteps}: bounds, size, protection,
 * derived columns and filter included), without writing anything: the dry run of {@code check --sample}, which tries
 * a schema against real records before a run dead-letters them. Not thread-safe.
 */
public final class SampleNormalizer {

    /** Why a value would go to the dead-letter topic: its error class and message, as the DLQ headers carry them. */
    public record Reason(String errorClass, String message) {
    }

    /**
     * What the pipeline would make of one record.
     *
     * @param reason the dead letter's reason, or null
     * @param record the record as the sinks would receive it (protected, shaped), or null (a dead letter, or left out
     *               by the pipeline's filter)
     */
    public record Outcome(Reason reason, Normalized record) {
    }

    private final NormalizeSteps steps;

    /** @param schema the pipeline's schema as configured (before protection) */
    public SampleNormalizer(PipelineConfig pipeline, Schema schema) {
        this.steps = new NormalizeSteps(pipeline, schema);
    }

    public Outcome attempt(ConsumerRecord<byte[], byte[]> r) {
        try {
            return new Outcome(null, steps.apply(r.value(), r.headers(), r.topic(), r.partition(), r.offset(),
                    RawTimestampExtractor.replayed(r.timestamp())));
        } catch (RuntimeException e) {
            return new Outcome(steps.reason(e), null);
        }
    }
}
