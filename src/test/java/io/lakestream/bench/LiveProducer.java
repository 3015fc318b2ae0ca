package io.lakestream.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces synthetic claims at a steady rate for a while, each stamped with the wall clock as its event time (and as
 * its Kafka timestamp): a live stream, so windows close as time passes, not as a backlog is read. With an
 * {@link EventClock} of speed N, event time runs N times faster than the wall clock (the Kafka timestamp stays the
 * wall clock's).
 */
public final class LiveProducer {

    /** What was produced: acknowledged records, from when to when (wall clock, epoch millis). */
    public record Produced(long records, long bytes, long startMillis, long stopMillis) {
        double rate() {
            return records * 1000.0 / Math.max(1, stopMillis - startMillis);
        }
    }

    private LiveProducer() {
    }

    public static Produced run(String bootstrap, String topic, int rate, Duration duration, ClaimGenerator claims) {
        return run(bootstrap, topic, rate, duration, claims, EventClock.starting(System.currentTimeMillis(), duration, 1));
    }

    static Produced run(String bootstrap, String topic, int rate, Duration duration, ClaimGenerator claims,
                        EventClock clock) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, "5",
                ProducerConfig.CLIENT_ID_CONFIG, "bench-live-producer");
        AtomicReference<Exception> failure = new AtomicReference<>();
        AtomicLong acked = new AtomicLong();
        long bytes = 0;
        long startNanos = System.nanoTime();
        long startMillis = System.currentTimeMillis();
        long total = rate * duration.toSeconds();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (long i = 0; i < total && failure.get() == null; i++) {
                // Record i is due at start + i/rate: a slow moment is caught up at once, so the mean rate holds.
                long due = startNanos + i * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 200_000) {
                    LockSupport.parkNanos(wait);
                }
                byte[] key = claims.key(i);
                byte[] value = claims.value(i, clock.eventTime(Instant.now()));
                bytes += key.length + value.length;
                producer.send(new ProducerRecord<>(topic, key, value), (meta, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    } else {
                        acked.incrementAndGet();
                    }
                });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("producing to " + topic + " failed", failure.get());
        }
        return new Produced(acked.get(), bytes, startMillis, System.currentTimeMillis());
    }
}
