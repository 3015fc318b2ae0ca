package io.lakestream.check;

import io.lakestream.check.KafkaProbe.TopicUse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One {@code topic <name>} line per topic: a source topic must exist and be readable (FAIL otherwise); a topic
 * lakestream writes is created at start, so its absence is a WARN.
 */
final class TopicChecks {

    /** How long to wait for the last record of a non-empty source topic. */
    private static final Duration READ_WAIT = Duration.ofSeconds(5);
    /** An empty topic returns nothing; this is long enough for a fetch, whose reply tells READ permission. */
    private static final Duration EMPTY_WAIT = Duration.ofSeconds(1);

    private final Admin admin;
    private final Map<String, Object> consumerSettings;
    private final Duration timeout;

    TopicChecks(Admin admin, Map<String, Object> consumerSettings, Duration timeout) {
        this.admin = admin;
        this.consumerSettings = consumerSettings;
        this.timeout = timeout;
    }

    static String name(TopicUse use) {
        return "topic " + use.topic();
    }

    List<CheckResult> check(Collection<TopicUse> uses) throws InterruptedException {
        if (uses.isEmpty()) {
            return List.of();
        }
        Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(
                uses.stream().map(TopicUse::topic).toList(),
                new DescribeTopicsOptions().timeoutMs((int) timeout.toMillis())).topicNameValues();
        List<CheckResult> results = new ArrayList<>();
        for (TopicUse use : uses) {
            results.add(check(use, described.get(use.topic())));
        }
        return results;
    }

    private CheckResult check(TopicUse use, KafkaFuture<TopicDescription> description) throws InterruptedException {
        try {
            TopicDescription topic = description.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            if (use.source()) {
                return read(use, topic);
            }
            return CheckResult.ok(name(use), use.role() + ": exists, " + topic.partitions().size() + " partition(s)");
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return failure(use, e instanceof ExecutionException ? e.getCause() : e);
        }
    }

    private CheckResult failure(TopicUse use, Throwable e) {
        String name = name(use);
        if (e instanceof UnknownTopicOrPartitionException) {
            return use.source()
                    ? CheckResult.fail(name, use.role() + ": topic " + use.topic() + " does not exist",
                    "create it, or fix the pipeline's source.topics")
                    : CheckResult.warn(name, use.role() + ": does not exist yet",
                    "lakestream creates it at start, which needs CREATE permission; or create it beforehand");
        }
        if (e instanceof TopicAuthorizationException) {
            return CheckResult.fail(name, use.role() + ": no DESCRIBE permission on topic " + use.topic(),
                    "grant the principal in use DESCRIBE " + (use.source() ? "and READ" : "and WRITE") + " on "
                            + use.topic());
        }
        if (e instanceof TimeoutException || e instanceof java.util.concurrent.TimeoutException) {
            return CheckResult.fail(name, use.role() + ": no answer about topic " + use.topic() + " within "
                    + timeout.toSeconds() + " s", "check that the brokers' advertised.listeners are reachable from"
                    + " here");
        }
        return CheckResult.fail(name, use.role() + ": " + KafkaFailures.rootMessage(e), null);
    }

    /** Reads the last record of each partition, with no consumer group, so nothing is committed. */
    private CheckResult read(TopicUse use, TopicDescription topic) {
        String name = name(use);
        List<TopicPartition> partitions = topic.partitions().stream()
                .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
        String found = use.role() + ": " + partitions.size() + " partition(s), ";
        try (var consumer = new KafkaConsumer<>(consumerSettings, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, timeout);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            boolean empty = true;
            for (TopicPartition p : partitions) {
                boolean hasRecords = end.get(p) > begin.get(p);
                consumer.seek(p, hasRecords ? end.get(p) - 1 : end.get(p));
                empty &= !hasRecords;
            }
            long deadline = System.nanoTime() + (empty ? EMPTY_WAIT : READ_WAIT).toNanos();
            while (System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    var record = records.iterator().next();
                    return CheckResult.ok(name, found + "read the last record of partition " + record.partition()
                            + " (offset " + record.offset() + ")");
                }
            }
            return CheckResult.ok(name, found + (empty ? "empty, nothing to read yet"
                    : "no record returned within " + READ_WAIT.toSeconds() + " s (the last offsets may be"
                    + " transaction markers)"));
        } catch (TopicAuthorizationException e) {
            return CheckResult.fail(name, use.role() + ": no READ permission on topic " + use.topic(),
                    "grant the principal in use READ on topic " + use.topic());
        } catch (TimeoutException e) {
            return CheckResult.fail(name, use.role() + ": the partition leaders of " + use.topic()
                    + " gave no answer within " + timeout.toSeconds() + " s",
                    "check that the brokers' advertised.listeners are reachable from here");
        } catch (KafkaException e) {
            return CheckResult.fail(name, use.role() + ": cannot read " + use.topic() + ": "
                    + KafkaFailures.rootMessage(e), null);
        }
    }
}
