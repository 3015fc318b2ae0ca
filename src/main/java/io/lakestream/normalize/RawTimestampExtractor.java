package io.lakestream.normalize;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The raw record's Kafka timestamp, never later than the wall clock, or the partition's time when it has none
 * (negative): the default extractor would fail the task, and dropping the record would lose it. Event time is set
 * later, from the payload.
 *
 * <p>Why never later than the wall clock: every record lakestream writes for a raw record (normalized, dead letter,
 * alert) carries this timestamp, and a raw topic may accept a producer's CreateTime in 2204 that lakestream's own
 * topics refuse ({@code message.timestamp.after.max.ms}, one hour by default since Kafka 4.0): the refused batch
 * would kill the stream thread at the same offset on every restart. It is also the reference of the event-time
 * bounds ({@link EventTimeBounds}), which an absurd Kafka timestamp would otherwise stretch by centuries. A record
 * whose timestamp is cut is counted ({@code lakestream_kafka_timestamp_clamped_total}) and named at WARN at most
 * once a minute.
 */
final class RawTimestampExtractor implements TimestampExtractor {

    private static final Logger LOG = LoggerFactory.getLogger(RawTimestampExtractor.class);
    private static final long LOG_INTERVAL_MS = 60_000;

    private final String pipeline;
    private final Counter clamped;
    // One extractor serves every stream thread.
    private final AtomicLong lastLog = new AtomicLong(Long.MIN_VALUE);

    RawTimestampExtractor(String pipeline, MeterRegistry metrics) {
        this.pipeline = pipeline;
        this.clamped = Counter.builder("lakestream.kafka.timestamp.clamped").tag("pipeline", pipeline)
                .description("raw records whose Kafka timestamp was ahead of the wall clock, read as the wall clock")
                .register(metrics);
    }

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.timestamp() < 0) {
            return Math.max(partitionTime, 0L);
        }
        long now = System.currentTimeMillis();
        if (record.timestamp() <= now) {
            return record.timestamp();
        }
        clamped.increment();
        long last = lastLog.get();
        if ((last == Long.MIN_VALUE || now - last >= LOG_INTERVAL_MS) && lastLog.compareAndSet(last, now)) {
            LOG.warn("pipeline {}: topic {} partition {} offset {} has Kafka timestamp {}, ahead of the wall clock {}:"
                            + " read as the wall clock (its producer's clock is wrong; lakestream's topics would refuse"
                            + " it)", pipeline, record.topic(), record.partition(), record.offset(),
                    Instant.ofEpochMilli(record.timestamp()), Instant.ofEpochMilli(now));
        }
        return now;
    }

    /** What {@link #extract} makes of a record read again for a replay, which knows no partition time. */
    static long replayed(long kafkaTimestamp) {
        return Math.min(Math.max(kafkaTimestamp, 0L), System.currentTimeMillis());
    }
}
