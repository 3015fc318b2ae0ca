package io.lakestream.normalize;

import io.lakestream.config.PipelineConfig;
import io.lakestream.port.ObjectStore;
import io.lakestream.port.Ports;
import io.lakestream.record.NormalizeOutcome;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes every dead letter fit its DLQ topic. A letter whose original bytes and headers exceed what the topic accepts
 * (its {@code max.message.bytes}, the producer's {@code max.request.size}) keeps its value, and if need be its key,
 * as objects in the lake under {@code <lake.prefix>_dead_letters/<pipeline>/<topic>/<partition>/<offset>.value|.key};
 * the letter then carries a pointer to them instead of the bytes. Nothing is truncated: the bytes stay whole where
 * they can be fetched. Were the letter refused instead, the stream thread would fail at that offset on every restart.
 *
 * <p>Object keys are deterministic and written with a conditional create, so a replay after a crash finds the object
 * it wrote before and produces the same letter.
 */
final class DeadLetterOverflow {

    /** Where the value now is: the object key in the lake store, and its full location. */
    static final String PAYLOAD_OBJECT = "lakestream.payload.object";
    static final String PAYLOAD_LOCATION = "lakestream.payload.location";
    static final String PAYLOAD_BYTES = "lakestream.payload.bytes";
    static final String KEY_OBJECT = "lakestream.payload.key-object";
    static final String PAYLOAD_REASON = "lakestream.payload.reason";
    static final String HEADERS_DROPPED = "lakestream.payload.headers-dropped";

    private static final Logger log = LoggerFactory.getLogger(DeadLetterOverflow.class);

    /** A letter as it goes to the DLQ topic. */
    record Letter(byte[] key, byte[] value, Headers headers) {
    }

    private final String pipeline;
    private final String dlqTopic;
    private final int limit;
    private final String prefix;
    private final ObjectStore store;

    DeadLetterOverflow(String pipeline, String dlqTopic, int limit, String prefix, ObjectStore store) {
        this.pipeline = pipeline;
        this.dlqTopic = dlqTopic;
        this.limit = limit;
        this.prefix = prefix;
        this.store = store;
    }

    static DeadLetterOverflow of(PipelineConfig pipeline, Ports ports) {
        return new DeadLetterOverflow(pipeline.name(), pipeline.dlqTopic(), pipeline.limits().dlqRecordBytes(),
                pipeline.limits().overflowPrefix(), ports.store());
    }

    /** @param headers the letter's headers, reason and coordinates included */
    Letter fit(NormalizeOutcome.DeadLetter dead, Headers headers) {
        byte[] key = dead.originalKey();
        byte[] value = dead.originalValue();
        long size = RecordSize.of(key, value, headers);
        if (size <= limit) {
            return new Letter(key, value, headers);
        }
        String reason = "the dead letter would take " + size + " bytes, more than the " + limit + " the DLQ topic "
                + dlqTopic + " accepts (the smaller of its max.message.bytes and the producer's max.request.size)";
        String base = prefix + pipeline + "/" + dead.topic() + "/" + dead.partition() + "/" + dead.offset();
        if (value != null) {
            String object = put(base + ".value", value, dead);
            add(headers, PAYLOAD_OBJECT, object);
            add(headers, PAYLOAD_LOCATION, store.uri(object));
            add(headers, PAYLOAD_BYTES, Integer.toString(value.length));
            add(headers, PAYLOAD_REASON, reason);
            value = null;
        }
        if (key != null && RecordSize.of(key, null, headers) > limit) {
            add(headers, KEY_OBJECT, put(base + ".key", key, dead));
            key = null;
        }
        if (RecordSize.of(key, value, headers) > limit) {
            // Only the source record's own headers can still be too large: ours are short.
            Headers own = new RecordHeaders();
            int dropped = 0;
            for (Header h : headers) {
                if (h.key().startsWith("lakestream.")) {
                    own.add(h);
                } else {
                    dropped++;
                }
            }
            add(own, HEADERS_DROPPED, Integer.toString(dropped));
            headers = own;
        }
        log.warn("Dead letter too large for its topic pipeline={} topic={} partition={} offset={}: {}; payload kept"
                + " under {}", pipeline, dead.topic(), dead.partition(), dead.offset(), reason, base);
        return new Letter(key, value, headers);
    }

    private String put(String objectKey, byte[] bytes, NormalizeOutcome.DeadLetter dead) {
        boolean created = store.createIfAbsent(objectKey, bytes, Map.of(
                "lakestream-error-class", dead.errorClass(),
                "lakestream-source-topic", dead.topic(),
                "lakestream-source-partition", Integer.toString(dead.partition()),
                "lakestream-source-offset", Long.toString(dead.offset())));
        if (!created) {
            log.info("Dead-letter payload {} already stored (a replay); the letter points to it again", objectKey);
        }
        return objectKey;
    }

    private static void add(Headers headers, String key, String value) {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
