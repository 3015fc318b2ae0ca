package io.lakestream.check;

import io.lakestream.config.AggregationConfig;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.PipelineConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;

/**
 * {@code kafka} and {@code topic <name>}: the cluster answers through the pass-through settings (so TLS and SASL
 * are tested exactly as the pipelines will use them), every source topic exists and can be read, and whether the
 * topics lakestream writes exist yet. The topic lines are SKIPPED when the cluster cannot be reached.
 */
final class KafkaProbe implements Probe {

    /** Bound of each Kafka call (request.timeout.ms and default.api.timeout.ms of the check's clients). */
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final String CLIENT_ID = "lakestream-check";

    private final Map<String, String> kafka;
    private final Collection<TopicUse> topics;
    private final Duration timeout;
    private final Map<String, Duration> retention;

    KafkaProbe(Map<String, String> kafka, Collection<TopicUse> topics, Duration timeout) {
        this(kafka, topics, timeout, Map.of());
    }

    /** @param retention the retention each replayed input topic needs ({@link RetentionChecks}) */
    KafkaProbe(Map<String, String> kafka, Collection<TopicUse> topics, Duration timeout,
               Map<String, Duration> retention) {
        this.kafka = Map.copyOf(kafka);
        this.topics = List.copyOf(topics);
        this.timeout = timeout;
        this.retention = Map.copyOf(retention);
    }

    static KafkaProbe of(LakestreamConfig config) {
        return new KafkaProbe(config.kafka(), topicUses(config), TIMEOUT, RetentionChecks.needed(config));
    }

    /**
     * A topic the configuration names, and what for.
     *
     * @param source true if a pipeline reads it (must exist and be readable); false if lakestream writes it
     *               (created at start, so missing is only a warning)
     */
    record TopicUse(String topic, List<String> roles, boolean source) {
        String role() {
            return String.join(", ", roles);
        }
    }

    /** Source topics first, then output topics; a topic named twice is one line listing every role. */
    static List<TopicUse> topicUses(LakestreamConfig config) {
        Map<String, TopicUse> uses = new LinkedHashMap<>();
        for (PipelineConfig p : config.pipelines()) {
            p.source().topics().forEach(t -> add(uses, t, "source of pipeline " + p.name(), true));
        }
        for (PipelineConfig p : config.pipelines()) {
            add(uses, p.outputTopic(), "normalized output of pipeline " + p.name(), false);
            add(uses, p.dlqTopic(), "DLQ of pipeline " + p.name(), false);
            for (AggregationConfig a : p.aggregations() == null ? List.<AggregationConfig>of() : p.aggregations()) {
                add(uses, a.topic(), "output of aggregation " + p.name() + "." + a.name(), false);
            }
        }
        add(uses, config.landingsTopic(), "landing events", false);
        return List.copyOf(uses.values());
    }

    private static void add(Map<String, TopicUse> uses, String topic, String role, boolean source) {
        if (topic == null) {
            return;
        }
        TopicUse known = uses.get(topic);
        List<String> roles = new ArrayList<>(known == null ? List.of() : known.roles());
        roles.add(role);
        uses.put(topic, new TopicUse(topic, roles, source || (known != null && known.source())));
    }

    @Override
    public String name() {
        return KafkaFailures.NAME;
    }

    @Override
    public List<CheckResult> run() {
        String bootstrap = kafka.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        if (bootstrap == null || bootstrap.isBlank()) {
            return withTopicsSkipped(CheckResult.fail(name(), "kafka.bootstrap.servers is not set",
                    "set kafka.bootstrap.servers"));
        }
        Optional<String> unreachable = Bootstrap.unreachable(bootstrap, CONNECT_TIMEOUT);
        if (unreachable.isPresent()) {
            return withTopicsSkipped(CheckResult.fail(name(), unreachable.get(), "check kafka.bootstrap.servers,"
                    + " and that this machine can reach the brokers (DNS, firewall, VPN)"));
        }
        Admin admin;
        try {
            admin = Admin.create(adminSettings());
        } catch (KafkaException | IllegalArgumentException e) {
            // Settings the client refuses before connecting: unreadable truststore, malformed JAAS config, ...
            return withTopicsSkipped(KafkaFailures.cluster(e, bootstrap, kafka, timeout.toSeconds()));
        }
        try (admin) {
            CheckResult cluster;
            try {
                cluster = describeCluster(admin, bootstrap);
            } catch (ExecutionException | TimeoutException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                return withTopicsSkipped(KafkaFailures.cluster(cause, bootstrap, kafka, timeout.toSeconds()));
            }
            List<CheckResult> results = new ArrayList<>();
            results.add(cluster);
            results.addAll(new TopicChecks(admin, consumerSettings(), timeout).check(topics));
            results.addAll(RetentionChecks.check(admin, retention, timeout));
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return withTopicsSkipped(CheckResult.fail(name(), "interrupted", null));
        }
    }

    private CheckResult describeCluster(Admin admin, String bootstrap)
            throws ExecutionException, InterruptedException, TimeoutException {
        DescribeClusterResult cluster = admin.describeCluster(
                new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()));
        // The admin call is bounded by timeoutMs; the extra second only guards against a future never completed.
        long waitMillis = timeout.toMillis() + 1000;
        Collection<Node> nodes = cluster.nodes().get(waitMillis, TimeUnit.MILLISECONDS);
        String clusterId = cluster.clusterId().get(waitMillis, TimeUnit.MILLISECONDS);
        return CheckResult.ok(name(), "cluster " + clusterId + ": " + nodes.size() + " broker(s) via " + bootstrap
                + " (security.protocol " + kafka.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
                "PLAINTEXT") + ")");
    }

    private List<CheckResult> withTopicsSkipped(CheckResult cluster) {
        List<CheckResult> results = new ArrayList<>();
        results.add(cluster);
        topics.forEach(t -> results.add(CheckResult.skipped(TopicChecks.name(t), t.role() + ": Kafka not reached")));
        return results;
    }

    /** The pass-through settings, with the check's own client id and timeouts so that no call can hang. */
    Map<String, Object> adminSettings() {
        Map<String, Object> settings = new HashMap<>(kafka);
        settings.put(AdminClientConfig.CLIENT_ID_CONFIG, CLIENT_ID);
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        return settings;
    }

    /** As {@link #adminSettings()}, without a group: the read probe assigns partitions and commits nothing. */
    Map<String, Object> consumerSettings() {
        Map<String, Object> settings = adminSettings();
        settings.remove("group.id");
        settings.remove("group.instance.id");
        settings.put("enable.auto.commit", false);
        return settings;
    }
}
