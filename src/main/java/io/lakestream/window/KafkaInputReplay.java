package io.lakestream.window;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link InputReplay} over Kafka: a consumer of its own per replay, assigned to the partitions asked for (it joins
 * no group), reading with the isolation level of the application's own consumer. The end of each range is the
 * offset the application's group has committed for the partition, fetched as a stable offset, so a transaction
 * still open on it is resolved first; under exactly-once that offset and the restored store belong to the same
 * commit.
 */
public final class KafkaInputReplay implements InputReplay {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaInputReplay.class);
    private static final Duration POLL = Duration.ofMillis(200);
    /** A replay that reads nothing for this long while records are due has lost its broker. */
    private static final Duration STALLED = Duration.ofSeconds(120);

    private final Properties streamsProperties;

    /** @param streamsProperties the application's Kafka Streams properties (client and security settings) */
    public KafkaInputReplay(Properties streamsProperties) {
        this.streamsProperties = streamsProperties;
    }

    private Map<String, Object> consumerConfig() {
        StreamsConfig streams = new StreamsConfig(streamsProperties);
        String applicationId = streams.getString(StreamsConfig.APPLICATION_ID_CONFIG);
        Map<String, Object> c = new HashMap<>(streams.getGlobalConsumerConfigs(applicationId + "-replay"));
        c.put(ConsumerConfig.GROUP_ID_CONFIG, applicationId);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                StreamsConfig.AT_LEAST_ONCE.equals(streams.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))
                        ? "read_uncommitted" : "read_committed");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        c.remove(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG);
        return c;
    }

    @Override
    public Map<TopicPartition, Replayed> replay(Map<TopicPartition, Long> from, Handler handler) {
        Map<TopicPartition, Replayed> result = new LinkedHashMap<>();
        if (from.isEmpty()) {
            return result;
        }
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig())) {
            Set<TopicPartition> partitions = from.keySet();
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(partitions, Duration.ofSeconds(60));
            Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions, Duration.ofSeconds(60));
            consumer.assign(partitions);
            Map<TopicPartition, Long> due = new HashMap<>();
            Map<TopicPartition, long[]> counts = new HashMap<>();
            for (TopicPartition tp : partitions) {
                long requested = from.get(tp);
                OffsetAndMetadata c = committed.get(tp);
                // Nothing committed: the task starts from the beginning and processes everything itself.
                long to = c == null ? requested : c.offset();
                long first = Math.max(requested, starts.getOrDefault(tp, 0L));
                counts.put(tp, new long[] {requested, first, to, 0});
                if (first < to) {
                    consumer.seek(tp, first);
                    due.put(tp, to);
                }
            }
            consumer.pause(partitions.stream().filter(tp -> !due.containsKey(tp)).toList());
            long lastProgress = System.nanoTime();
            while (!due.isEmpty()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    Long to = due.get(tp);
                    if (to != null && r.offset() < to) {
                        handler.accept(r);
                        counts.get(tp)[3]++;
                    }
                }
                boolean progressed = !records.isEmpty();
                for (TopicPartition tp : Set.copyOf(due.keySet())) {
                    if (consumer.position(tp) >= due.get(tp)) {
                        due.remove(tp);
                        consumer.pause(Set.of(tp));
                        progressed = true;
                    }
                }
                if (progressed) {
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > STALLED.toNanos()) {
                    throw new IllegalStateException("replay of " + due.keySet() + " read nothing for " + STALLED
                            + "; the open windows of these partitions cannot be rebuilt");
                }
            }
            counts.forEach((tp, c) -> result.put(tp, new Replayed(c[0], c[1], c[2], c[3])));
        }
        LOG.debug("replayed {}", result);
        return result;
    }
}
