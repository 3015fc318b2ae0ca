package io.lakestream.protect;

import io.lakestream.record.NormalizeOutcome.Normalized;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Protects every normalized record before any other stage sees it: the normalized topic, the records sink, the
 * aggregations, landing events and their logs receive only protected values and keys.
 */
public final class ProtectProcessor implements FixedKeyProcessor<byte[], Normalized, Normalized> {

    private final FieldProtector protector;
    private FixedKeyProcessorContext<byte[], Normalized> context;

    /** @param protector this processor's own (a {@link FieldProtector} is not thread-safe) */
    public ProtectProcessor(FieldProtector protector) {
        this.protector = protector;
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], Normalized> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<byte[], Normalized> record) {
        context.forward(record.withValue(protector.protect(record.value())));
    }
}
