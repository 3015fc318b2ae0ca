package io.lakestream.runtime;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Consumer-group lag of the application over the topics its topology reads. A partition whose remaining
 * range holds only transaction markers (written by exactly-once producers) counts as caught up: a
 * read_committed consumer positioned at the committed offset receives nothing from it.
 */
final class LagProbe implements AutoCloseable {

    private final Admin admin;
    private final String groupId;
    private final KafkaConsumer<byte[], byte[]> consumer;
    /** Committed offset per partition at the previous look. */
    private final Map<TopicPartition, Long> lastCommitted = new HashMap<>();
    /** When each partition's committed offset was last seen to move (System.nanoTime). */
    private final Map<TopicPartition, Long> movedAt = new HashMap<>();
    private final long movingForNanos;

    LagProbe(Admin admin, Properties clientProps, String groupId) {
        this(admin, clientProps, groupId, Duration.ZERO);
    }

    /**
     * @param movingFor how long a partition whose committed offset moved counts as being consumed: the
     *                  application's commit interval, as the offset moves once per commit (zero: moved since the
     *                  previous look)
     */
    LagProbe(Admin admin, Properties clientProps, String groupId, Duration movingFor) {
        this.admin = admin;
        this.movingForNanos = movingFor.toNanos();
        this.groupId = groupId;
        Properties props = new Properties();
        props.putAll(clientProps);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        // It only asks whether a record follows: one record, the smallest fetch (the broker still returns one batch).
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, "1");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "1");
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Records not yet consumed (and committed) by the application, per partition with any lag. */
    Map<TopicPartition, Long> lag(Set<String> topics) throws InterruptedException {
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<String> present = topics.stream().filter(existing::contains).toList();
            Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
            admin.describeTopics(present).allTopicNames().get().forEach((name, d) ->
                    d.partitions().forEach(p -> specs.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
            // Committed offsets first, end offsets second: a transaction that commits between the two calls then
            // shows as lag. The other order could pair its input offsets (committed) with end offsets of the
            // topics it wrote read before it committed, and report a stage as caught up that has work pending.
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
            var ends = admin.listOffsets(specs, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get();
            Map<TopicPartition, Long> behind = new HashMap<>();
            boolean consuming = false;
            long now = System.nanoTime();
            for (var e : ends.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                long position = c == null ? 0 : c.offset();
                long left = e.getValue().offset() - position;
                // A partition whose committed offset moves is being consumed: it lags without a fetch. One that
                // stands still may hold nothing but transaction markers: that takes a fetch.
                Long before = lastCommitted.put(e.getKey(), position);
                boolean moved = before != null && before != position;
                if (moved) {
                    movedAt.put(e.getKey(), now);
                }
                if (left > 0) {
                    behind.put(e.getKey(), left);
                    Long at = movedAt.get(e.getKey());
                    consuming |= moved || at != null && now - at <= movingForNanos;
                }
            }
            if (consuming) {
                // The application lags and is at work: the answer is "not caught up" whatever the other partitions
                // hold, so none of them is fetched (their lag is the offset distance, markers included). While a
                // run is busy, this is every look: fetching each standing partition cost a consumer poll each.
                return behind;
            }
            Map<TopicPartition, Long> lag = new HashMap<>();
            for (var e : behind.entrySet()) {
                long end = ends.get(e.getKey()).offset();
                if (hasRecords(e.getKey(), end - e.getValue(), end)) {
                    lag.put(e.getKey(), e.getValue());
                }
            }
            return lag;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read consumer lag of " + groupId + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * Whether records (not only transaction markers) lie between {@code from} and {@code end}: reads until a record
     * comes back or the position passes the markers to {@code end}. A slow first fetch is not taken for an empty
     * range: without an answer within the bound the partition counts as not caught up.
     */
    private boolean hasRecords(TopicPartition tp, long from, long end) {
        consumer.assign(List.of(tp));
        consumer.seek(tp, from);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (!consumer.poll(Duration.ofMillis(200)).isEmpty()) {
                return true;
            }
            if (consumer.position(tp) >= end) {
                return false;
            }
        }
        return true;
    }

    static String describe(Map<TopicPartition, Long> lag) {
        return lag.entrySet().stream().sorted(Map.Entry.comparingByKey(
                        (a, b) -> a.toString().compareTo(b.toString())))
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    @Override
    public void close() {
        consumer.close();
    }
}
