package io.lakestream.normalize;

import io.lakestream.config.PipelineConfig;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * Normalizes a raw value exactly as the running pipeline would, without writing anything: the dry run of
 * {@code check --sample}, which tries a schema against real records before a run dead-letters them.
 */
public final class SampleNormalizer {

    /** Why a value would go to the dead-letter topic: its error class and message, as the DLQ headers carry them. */
    public record Reason(String errorClass, String message) {
    }

    private final Normalizer normalizer;

    public SampleNormalizer(PipelineConfig pipeline, Schema schema) {
        this.normalizer = new Normalizer(pipeline, schema);
    }

    /** Empty when the value normalizes, else the reason it would be a dead letter. */
    public Optional<Reason> attempt(byte[] value) {
        try {
            normalizer.normalize(value);
            return Optional.empty();
        } catch (NormalizeException e) {
            return Optional.of(new Reason(e.errorClass().name(), e.getMessage()));
        } catch (RuntimeException e) {
            return Optional.of(new Reason(ErrorClass.INTERNAL_ERROR.name(), e.toString()));
        }
    }
}
