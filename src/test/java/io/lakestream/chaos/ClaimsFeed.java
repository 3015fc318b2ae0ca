package io.lakestream.chaos;

import io.lakestream.demo.SampleClaims;
import io.lakestream.demo.SampleClaims.Claim;
import io.lakestream.demo.SampleClaims.Kind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Continuous input for the chaos run: {@link SampleClaims} (valid ones and the five malformed kinds, the
 * deliberately late ones left out) sent at a steady rate from a thread, event time advancing {@code speed} times
 * faster than the wall clock so landing windows close every few seconds. Every acknowledged send is recorded by
 * partition and offset; {@link #readBack} reads the topic itself so that a send that failed ambiguously (the broker
 * was restarting) is still accounted for.
 */
final class ClaimsFeed implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClaimsFeed.class);

    private final String bootstrap;
    private final String topic;
    private final List<Claim> claims;
    private final int ratePerSecond;
    private final Map<String, Claim> acknowledged = new ConcurrentHashMap<>();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
    private final Thread thread;
    private final Map<String, Claim> sentByValue = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private volatile boolean leap;
    private volatile int sent;

    /**
     * @param maxDuration how long the feed may run; claims for that long are generated up front
     * @param speed       event-time seconds per wall-clock second
     */
    ClaimsFeed(String bootstrap, String topic, int ratePerSecond, Duration maxDuration, int speed, long seed) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.ratePerSecond = ratePerSecond;
        int count = (int) (ratePerSecond * maxDuration.toSeconds());
        // Event time of claim i is START + i * speed / rate seconds, plus up to 2 s of jitter (within grace).
        this.claims = SampleClaims.generate(count, (long) count * speed / ratePerSecond, seed).stream()
                .filter(c -> c.kind() != Kind.LATE).toList();
        this.thread = new Thread(this::run, "chaos-feed");
        thread.setDaemon(true);
    }

    ClaimsFeed start() {
        thread.start();
        return this;
    }

    /**
     * From the next record on, event time is shifted so that it continues at 30 s past the next full hour: the hour
     * in progress closes at once instead of after minutes of wall clock. Records keep their order.
     */
    void leapToNextHour() {
        leap = true;
    }

    int sent() {
        return sent;
    }

    int failedSends() {
        return failed.get();
    }

    /** Stops sending and waits until every send is acknowledged or failed. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(Duration.ofMinutes(6).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // Sends wait out a broker restart instead of failing.
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "300000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "300000");
        long started = System.nanoTime();
        long shift = 0;
        try (KafkaProducer<String, byte[]> producer =
                     new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < claims.size() && running; i++) {
                long due = started + i * 1_000_000_000L / ratePerSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                if (leap) {
                    long at = claims.get(i).eventTimeMillis() + shift;
                    long hour = Duration.ofHours(1).toMillis();
                    shift += Math.floorDiv(at, hour) * hour + hour + 30_000 - at;
                    leap = false;
                    log.info("chaos feed: event time leaps from {} to {}", Instant.ofEpochMilli(at),
                            Instant.ofEpochMilli(claims.get(i).eventTimeMillis() + shift));
                }
                Claim claim = shifted(claims.get(i), shift);
                sentByValue.put(new String(claim.value(), StandardCharsets.UTF_8), claim);
                producer.send(new ProducerRecord<>(topic, claim.key(), claim.value()), (m, e) -> {
                    if (e == null) {
                        acknowledged.put(m.partition() + ":" + m.offset(), claim);
                    } else {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, e);
                    }
                });
                sent = i + 1;
            }
            if (running) {
                log.warn("chaos feed: all {} generated claims sent before the run ended", claims.size());
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("chaos feed: sent {}, acknowledged {}, failed {} (first failure: {})", sent, acknowledged.size(),
                failed.get(), firstFailure.get());
    }

    /** The claim moved by {@code shift} ms of event time, its JSON timestamp with it (malformed ones as they are). */
    private static Claim shifted(Claim c, long shift) {
        if (shift == 0) {
            return c;
        }
        long at = c.eventTimeMillis() + shift;
        String json = new String(c.value(), StandardCharsets.UTF_8).replace(
                "\"claimTs\":\"" + Instant.ofEpochMilli(c.eventTimeMillis()) + "\"",
                "\"claimTs\":\"" + Instant.ofEpochMilli(at) + "\"");
        return new Claim(c.key(), json.getBytes(StandardCharsets.UTF_8), c.kind(), at);
    }

    /**
     * Every record now in the topic, by {@code "partition:offset"}, matched to the claim it carries; fails if an
     * acknowledged send is not where its acknowledgement said or a record is not one of the generated claims.
     */
    Map<String, Claim> readBack() {
        Map<String, Claim> byValue = new HashMap<>(sentByValue);
        Map<String, Claim> inTopic = new HashMap<>();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = consumer.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps, Duration.ofSeconds(60));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " back to " + end);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Claim c = byValue.get(new String(r.value(), StandardCharsets.UTF_8));
                    if (c == null) {
                        throw new IllegalStateException("record " + r.partition() + ":" + r.offset()
                                + " is none of the generated claims");
                    }
                    inTopic.put(r.partition() + ":" + r.offset(), c);
                }
            }
        }
        acknowledged.forEach((coordinates, claim) -> {
            if (inTopic.get(coordinates) != claim) {
                throw new IllegalStateException("acknowledged send " + coordinates + " is not in the topic as sent");
            }
        });
        if (inTopic.size() != acknowledged.size()) {
            log.warn("chaos feed: topic holds {} records, {} sends acknowledged ({} failed)", inTopic.size(),
                    acknowledged.size(), failed.get());
        }
        return inTopic;
    }
}
