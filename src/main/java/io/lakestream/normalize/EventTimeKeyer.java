package io.lakestream.normalize;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Re-keys a normalized record by its business key and stamps it with its event time, for the output topic. */
final class EventTimeKeyer implements Processor<byte[], NormalizeOutcome.Normalized, String, GenericRecord> {

    private ProcessorContext<String, GenericRecord> context;

    @Override
    public void init(ProcessorContext<String, GenericRecord> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], NormalizeOutcome.Normalized> record) {
        NormalizeOutcome.Normalized n = record.value();
        context.forward(new Record<>(n.key(), n.value(), n.eventTime(), record.headers()));
    }
}
