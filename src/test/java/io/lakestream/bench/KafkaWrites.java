package io.lakestream.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * What a variant wrote to Kafka: the log-end offsets and log sizes of every topic but the broker's own
 * ({@code __consumer_offsets}, {@code __transaction_state}) and the benchmark's raw topics, before and after it ran.
 * The difference covers every topic lakestream writes: normalized, DLQ, aggregation outputs, landings, changelogs,
 * repartition topics. Under exactly-once, log-end offsets include one transaction marker per partition and commit.
 */
final class KafkaWrites {

    /** Totals of one snapshot, and those of the normalized topics alone. */
    record Totals(long records, long bytes, long normalizedRecords, long normalizedBytes) {

        Totals minus(Totals before) {
            return new Totals(records - before.records, bytes - before.bytes,
                    normalizedRecords - before.normalizedRecords, normalizedBytes - before.normalizedBytes);
        }
    }

    private KafkaWrites() {
    }

    static Totals snapshot(String bootstrapServers, Set<String> rawTopics) throws InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            List<String> topics = admin.listTopics().names().get().stream()
                    .filter(t -> !t.startsWith("__") && !rawTopics.contains(t)).toList();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get().forEach((name, d) -> d.partitions()
                    .forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
            long records = 0;
            long normalizedRecords = 0;
            for (var e : admin.listOffsets(latest).all().get().entrySet()) {
                records += e.getValue().offset();
                if (e.getKey().topic().endsWith(".normalized")) {
                    normalizedRecords += e.getValue().offset();
                }
            }
            long bytes = 0;
            long normalizedBytes = 0;
            Set<Integer> brokers = new java.util.HashSet<>();
            admin.describeCluster().nodes().get().forEach(n -> brokers.add(n.id()));
            for (Map<String, LogDirDescription> dirs : admin.describeLogDirs(brokers).allDescriptions().get()
                    .values()) {
                for (LogDirDescription dir : dirs.values()) {
                    for (Map.Entry<TopicPartition, ReplicaInfo> r : dir.replicaInfos().entrySet()) {
                        String topic = r.getKey().topic();
                        if (topic.startsWith("__") || rawTopics.contains(topic)) {
                            continue;
                        }
                        bytes += r.getValue().size();
                        if (topic.endsWith(".normalized")) {
                            normalizedBytes += r.getValue().size();
                        }
                    }
                }
            }
            return new Totals(records, bytes, normalizedRecords, normalizedBytes);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read topic sizes: " + e.getCause(), e.getCause());
        }
    }
}
