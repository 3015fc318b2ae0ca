package io.lakestream.runtime;

import io.lakestream.normalize.DeadLetterProcessor;
import io.lakestream.sink.LandingEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what this run published: the landing events (one per object landed) and the dead letters, from the end
 * offsets these topics had when the run began. Both are written in the flush's or the record's transaction, so a
 * read-committed consumer sees each exactly as the lake and the DLQ hold it, whatever way windows are buffered.
 * No consumer group: nothing is committed and no other reader is disturbed.
 */
final class LandingTally implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LandingTally.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String landingsTopic;
    private final Map<String, String> dlqTopicToPipeline;
    private final Map<TopicPartition, Long> startOffsets = new HashMap<>();
    private final Map<String, TableTally> tables = new LinkedHashMap<>();
    /** pipeline → error class → first message read back. */
    private final Map<String, Map<String, String>> examples = new HashMap<>();

    /** The tally of one table. */
    static final class TableTally {
        final Set<String> objectKeys = new HashSet<>();
        final Set<Map<String, String>> partitions = new HashSet<>();
        long rows;
        long lateObjects;
        long firstEventTime = Long.MAX_VALUE;
        long lastEventTime = Long.MIN_VALUE;

        String first() {
            return objectKeys.isEmpty() ? null : Instant.ofEpochMilli(firstEventTime).toString();
        }

        String last() {
            return objectKeys.isEmpty() ? null : Instant.ofEpochMilli(lastEventTime).toString();
        }
    }

    /**
     * Notes where the landings and dead-letter topics end now; what is appended after is this run's. A topic that does
     * not exist yet is read from its beginning once it does.
     */
    LandingTally(Map<String, String> kafka, String landingsTopic, Map<String, String> dlqTopicToPipeline,
                 Duration timeout) {
        Properties p = new Properties();
        kafka.forEach(p::put);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG); // assigned partitions, nothing committed
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "lakestream-run-report");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(Math.max(1000, timeout.toMillis())));
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.landingsTopic = landingsTopic;
        this.dlqTopicToPipeline = Map.copyOf(dlqTopicToPipeline);
        List<TopicPartition> existing = partitions(timeout);
        consumer.endOffsets(existing, timeout).forEach(startOffsets::put);
        consumer.assign(existing);
        existing.forEach(tp -> consumer.seek(tp, startOffsets.get(tp)));
    }

    /** Reads up to the current end of every topic, or for at most {@code timeout}. */
    synchronized void catchUp(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        try {
            assignNewPartitions(timeout);
            Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment(), timeout);
            while (behind(ends) && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    take(r);
                }
            }
        } catch (KafkaException e) {
            // The report is best effort: a broker gone at shutdown leaves the landing figures as read so far.
            log.warn("run report: cannot read {} and the dead-letter topics: {}", landingsTopic, e.toString());
        }
    }

    private boolean behind(Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return true;
            }
        }
        return false;
    }

    private void assignNewPartitions(Duration timeout) {
        List<TopicPartition> all = partitions(timeout);
        if (!consumer.assignment().containsAll(all)) {
            List<TopicPartition> added = all.stream().filter(tp -> !consumer.assignment().contains(tp)).toList();
            consumer.assign(all);
            // created during this run: every record in it is this run's
            added.forEach(tp -> consumer.seek(tp, startOffsets.getOrDefault(tp, 0L)));
        }
    }

    private List<TopicPartition> partitions(Duration timeout) {
        List<TopicPartition> result = new ArrayList<>();
        Map<String, List<PartitionInfo>> topics = consumer.listTopics(timeout);
        for (String topic : allTopics()) {
            for (PartitionInfo info : topics.getOrDefault(topic, List.of())) {
                result.add(new TopicPartition(topic, info.partition()));
            }
        }
        return result;
    }

    private List<String> allTopics() {
        List<String> all = new ArrayList<>(dlqTopicToPipeline.keySet());
        all.add(landingsTopic);
        return all;
    }

    private void take(ConsumerRecord<byte[], byte[]> r) {
        if (r.topic().equals(landingsTopic)) {
            if (r.value() == null) {
                return;
            }
            LandingEvent e = LandingEvent.fromJson(new String(r.value(), StandardCharsets.UTF_8));
            TableTally t = tables.computeIfAbsent(e.table(), k -> new TableTally());
            if (t.objectKeys.add(e.objectKey())) {
                t.rows += e.rowCount();
                t.partitions.add(e.partition());
                t.lateObjects += e.late() ? 1 : 0;
                t.firstEventTime = Math.min(t.firstEventTime, e.windowStart());
                t.lastEventTime = Math.max(t.lastEventTime, e.windowEnd());
            }
            return;
        }
        String pipeline = dlqTopicToPipeline.get(r.topic());
        String errorClass = header(r, DeadLetterProcessor.ERROR_CLASS);
        if (pipeline != null && errorClass != null) {
            examples.computeIfAbsent(pipeline, k -> new HashMap<>())
                    .putIfAbsent(errorClass, header(r, DeadLetterProcessor.ERROR_MESSAGE));
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    synchronized Map<String, TableTally> tables() {
        return Map.copyOf(tables);
    }

    /** Error class → one message of that class, of this pipeline's dead letters read so far. */
    synchronized Map<String, String> examples(String pipeline) {
        return Map.copyOf(examples.getOrDefault(pipeline, Map.of()));
    }

    @Override
    public synchronized void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
