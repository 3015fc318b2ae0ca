package io.lakestream.normalize;

import io.lakestream.record.NormalizeOutcome;
import io.lakestream.record.Owner;
import io.lakestream.record.SourceHeader;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Re-keys a normalized record by its business key for the output topic. The record keeps the raw record's Kafka
 * timestamp: an event time as the Kafka timestamp would let the broker's time-based retention delete a backfill
 * of old events before anyone reads it, and since Kafka 4.0 brokers reject timestamps more than an hour ahead,
 * so one record from a source with a wrong clock would stop the application. Event time is in the record, and in
 * the {@link SourceHeader} with the raw record's coordinates.
 */
final class BusinessKeyer implements Processor<byte[], NormalizeOutcome.Normalized, String, GenericRecord> {

    private final List<String> topics;
    private ProcessorContext<String, GenericRecord> context;
    private byte[] owner;

    /**
     * @param topics the pipeline's source topics (the header names a record's topic by its index); null when no
     *               aggregation reads the normalized topic, and the header is left out
     */
    BusinessKeyer(List<String> topics) {
        this.topics = topics;
    }

    @Override
    public void init(ProcessorContext<String, GenericRecord> context) {
        this.context = context;
        this.owner = Owner.of(context.applicationId());
    }

    @Override
    public void process(Record<byte[], NormalizeOutcome.Normalized> record) {
        NormalizeOutcome.Normalized n = record.value();
        if (topics == null) {
            context.forward(new Record<>(n.key(), n.value(), record.timestamp(), record.headers()));
            return;
        }
        Headers headers = new RecordHeaders(record.headers().toArray());
        headers.remove(SourceHeader.NAME);
        headers.add(SourceHeader.NAME, SourceHeader.encode(n.eventTime(), topics.indexOf(n.topic()), n.partition(),
                n.offset(), owner));
        context.forward(new Record<>(n.key(), n.value(), record.timestamp(), headers));
    }
}
