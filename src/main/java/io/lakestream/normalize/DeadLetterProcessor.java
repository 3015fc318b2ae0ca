package io.lakestream.normalize;

import io.lakestream.record.NormalizeOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Turns a dead letter back into its original value bytes, adds headers saying why and where it came from, logs it
 * ({@link DeadLetterLog}: WARN at most once per class and minute) and counts it. The raw record's own headers are kept. A letter too large for the DLQ topic keeps its bytes
 * in the lake instead ({@link DeadLetterOverflow}); its key may then be dropped too, hence not a fixed-key processor.
 * With {@code dlq.include-original: false} the raw key, value and headers are left out (they may hold protected values
 * in the clear): the value is a JSON summary of the coordinates and the reason, the key null.
 */
public final class DeadLetterProcessor implements Processor<byte[], NormalizeOutcome, byte[], byte[]> {

    public static final String ERROR_CLASS = "lakestream.error.class";
    public static final String ERROR_MESSAGE = "lakestream.error.message";
    static final String SOURCE_TOPIC = "lakestream.source.topic";
    static final String SOURCE_PARTITION = "lakestream.source.partition";
    static final String SOURCE_OFFSET = "lakestream.source.offset";
    static final String SOURCE_TIMESTAMP = "lakestream.source.timestamp";
    static final String PIPELINE = "lakestream.pipeline";
    private static final List<String> OWN_HEADERS = List.of(ERROR_CLASS, ERROR_MESSAGE, SOURCE_TOPIC,
            SOURCE_PARTITION, SOURCE_OFFSET, SOURCE_TIMESTAMP, PIPELINE);

    private final String pipeline;
    private final DeadLetterOverflow overflow;
    private final MeterRegistry metrics;
    private final boolean includeOriginal;
    private final DeadLetterLog deadLetterLog;
    private ProcessorContext<byte[], byte[]> context;

    DeadLetterProcessor(String pipeline, DeadLetterOverflow overflow, MeterRegistry metrics,
                        boolean includeOriginal, DeadLetterLog deadLetterLog) {
        this.pipeline = pipeline;
        this.deadLetterLog = deadLetterLog;
        this.overflow = overflow;
        this.metrics = metrics;
        this.includeOriginal = includeOriginal;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], NormalizeOutcome> record) {
        NormalizeOutcome.DeadLetter dead = (NormalizeOutcome.DeadLetter) record.value();
        deadLetterLog.record(dead);
        Counter.builder("lakestream.dlq.records").tag("pipeline", pipeline).tag("error_class", dead.errorClass())
                .description("records sent to the dead-letter topic").register(metrics).increment();
        if (includeOriginal) {
            DeadLetterOverflow.Letter letter = overflow.fit(dead, headers(record.headers(), dead));
            context.forward(new Record<>(letter.key(), letter.value(), record.timestamp(), letter.headers()));
        } else {
            context.forward(record.withKey((byte[]) null).withValue(DeadLetterSummary.json(pipeline, dead))
                    .withHeaders(headers(new RecordHeaders(), dead)));
        }
    }

    private Headers headers(Headers original, NormalizeOutcome.DeadLetter dead) {
        // A copy: the raw record's header object is shared with anything else forwarded from it.
        Headers headers = new RecordHeaders(original.toArray());
        OWN_HEADERS.forEach(headers::remove); // a re-processed dead letter gets this attempt's reason only
        add(headers, ERROR_CLASS, dead.errorClass());
        add(headers, ERROR_MESSAGE, dead.message());
        add(headers, SOURCE_TOPIC, dead.topic());
        add(headers, SOURCE_PARTITION, Integer.toString(dead.partition()));
        add(headers, SOURCE_OFFSET, Long.toString(dead.offset()));
        add(headers, SOURCE_TIMESTAMP, Long.toString(dead.kafkaTimestamp()));
        add(headers, PIPELINE, pipeline);
        return headers;
    }

    private static void add(Headers headers, String key, String value) {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
