package io.lakestream.runtime;

import io.lakestream.config.AggregationConfig;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.PipelineConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * Checks that the raw topics exist and creates lakestream's own output topics (normalized, DLQ, alerts,
 * aggregations, landings) when missing, with as many partitions as the pipeline's widest raw topic, and returns once
 * every partition of them takes writes ({@link NewTopics}).
 */
final class TopicProvisioner {

    private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(30);

    private TopicProvisioner() {
    }

    /** @return the partition count of every source topic */
    static Map<String, Integer> provision(Admin admin, LakestreamConfig config) throws InterruptedException {
        Set<String> sources = new LinkedHashSet<>();
        config.pipelines().forEach(p -> sources.addAll(p.source().topics()));
        Map<String, TopicDescription> described = describeExisting(admin, sources);
        List<String> missing = sources.stream().filter(t -> !described.containsKey(t)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("source topic(s) " + missing + " do not exist on the Kafka cluster: "
                    + "create them or fix pipelines[].source.topics");
        }
        int maxPartitions = 1;
        List<NewTopic> wanted = new ArrayList<>();
        for (PipelineConfig p : config.pipelines()) {
            int partitions = p.source().topics().stream()
                    .mapToInt(t -> described.get(t).partitions().size()).max().orElse(1);
            maxPartitions = Math.max(maxPartitions, partitions);
            wanted.add(new NewTopic(p.outputTopic(), java.util.Optional.of(partitions), java.util.Optional.empty()));
            wanted.add(new NewTopic(p.dlqTopic(), java.util.Optional.of(partitions), java.util.Optional.empty()));
            if (!p.alerts().rules().isEmpty()) {
                wanted.add(new NewTopic(p.alerts().topic(), java.util.Optional.of(partitions),
                        java.util.Optional.empty()));
            }
            for (AggregationConfig a : p.aggregations()) {
                wanted.add(new NewTopic(a.topic(), java.util.Optional.of(partitions), java.util.Optional.empty()));
            }
        }
        wanted.add(new NewTopic(config.landingsTopic(), java.util.Optional.of(maxPartitions),
                java.util.Optional.empty()));
        NewTopics.create(admin, wanted, CREATE_TIMEOUT);
        Map<String, Integer> partitions = new java.util.HashMap<>();
        described.forEach((topic, d) -> partitions.put(topic, d.partitions().size()));
        return partitions;
    }

    static Map<String, TopicDescription> describeExisting(Admin admin, Collection<String> topics)
            throws InterruptedException {
        Set<String> existing;
        try {
            existing = admin.listTopics().names().get();
        } catch (ExecutionException e) {
            String hint = e.getCause() instanceof org.apache.kafka.common.errors.AuthenticationException
                    ? " (Kafka rejected the TLS/SASL credentials of the kafka: section)" : "";
            throw new IllegalStateException("cannot list topics: " + e.getCause().getMessage() + hint, e.getCause());
        }
        List<String> present = topics.stream().filter(existing::contains).toList();
        try {
            return admin.describeTopics(present).allTopicNames().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe topics " + present + ": " + e.getCause().getMessage(),
                    e.getCause());
        }
    }
}
