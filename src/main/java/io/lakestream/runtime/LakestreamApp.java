package io.lakestream.runtime;

import io.lakestream.config.LakestreamConfig;
import io.lakestream.port.Ports;
import io.lakestream.topology.TopologyFactory;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running lakestream instance: topics provisioned, Kafka Streams started, HTTP endpoints up.
 * {@link #close()} shuts Kafka Streams down cleanly (the current transaction commits or aborts; buffered
 * windows stay in the changelogged stores), so a restart resumes where this instance stopped.
 */
public final class LakestreamApp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LakestreamApp.class);
    /** How often a caught-up wait looks at the lag and the window buffers. */
    private static final long CHECK_EVERY_MILLIS = 250;
    /** A stream thread that has not polled for this many seconds is at work, whatever the lag says. */
    private static final long BUSY_SECONDS = 2;

    private final LakestreamConfig config;
    private final Ports ports;
    private final PrometheusMeterRegistry prometheus;
    private final Map<String, Schema> schemas;
    private final Properties props;
    private final AtomicReference<Throwable> fatal = new AtomicReference<>();
    private Topology topology;
    private KafkaStreams streams;
    private KafkaStreamsMetrics streamsMetrics;
    private HttpEndpoints http;
    private Admin admin;
    private LagProbe watchProbe;
    private InputWatch inputWatch;
    private Supplier<Optional<String>> readiness = Optional::empty;

    public LakestreamApp(LakestreamConfig config, Map<String, Schema> schemas, Ports ports,
                         PrometheusMeterRegistry prometheus) {
        this.config = config;
        this.schemas = schemas;
        this.ports = ports;
        this.prometheus = prometheus;
        this.props = StreamsProperties.of(config);
    }

    public void start() throws InterruptedException, IOException {
        admin = Admin.create(clientProps());
        Map<String, Integer> sourcePartitions = TopicProvisioner.provision(admin, config);
        if (!config.kafka().containsKey(StreamsConfig.NUM_STREAM_THREADS_CONFIG)) {
            int threads = StreamsProperties.defaultThreads(Runtime.getRuntime().availableProcessors(), sourcePartitions);
            props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
            log.info("{}: {} stream thread(s), one per core up to the source partitions (kafka.num.stream.threads "
                    + "sets it)", config.application().id(), threads);
        }
        StartupChecks.verify(admin, config, schemas, ports);
        // The topic size limits, read from the cluster, complete the config the topology is built from.
        topology = TopologyFactory.build(TopicLimits.apply(admin, config), schemas, ports, sourcePartitions);
        log.debug("topology of {}:\n{}", config.application().id(), topology.describe());
        streams = new KafkaStreams(topology, props);
        streams.setUncaughtExceptionHandler(new StreamThreadFailures(prometheus, System::currentTimeMillis,
                e -> fatal.compareAndSet(null, e)));
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(prometheus);
        http = HttpEndpoints.start(config.http(), this::state, readiness, prometheus);
        streams.start();
        watchProbe = new LagProbe(admin, clientProps(), config.application().id(),
                config.application().commitInterval());
        inputWatch = new InputWatch(ports.drain(), watchProbe::lag, consumedTopics(),
                () -> state() == KafkaStreams.State.RUNNING, System::currentTimeMillis, config.application().id());
        inputWatch.start();
    }

    /** A reason for {@code /health/ready} to say no while Kafka Streams runs (e.g. the data-quality gate). */
    public void readiness(Supplier<Optional<String>> problem) {
        this.readiness = problem;
    }

    public KafkaStreams.State state() {
        return streams == null ? KafkaStreams.State.CREATED : streams.state();
    }

    /** The active tasks of this instance ({@code <subtopology>_<partition>}), as Kafka Streams assigned them. */
    public java.util.Set<String> activeTasks() {
        if (streams == null) {
            return java.util.Set.of();
        }
        java.util.Set<String> tasks = new java.util.TreeSet<>();
        streams.metadataForLocalThreads().forEach(t -> t.activeTasks().forEach(task -> tasks.add(
                task.taskId().toString())));
        return tasks;
    }

    /** The stream threads this instance runs ({@code kafka.num.stream.threads}, or one per core up to the partitions). */
    public int streamThreads() {
        return streams == null ? 0 : streams.metadataForLocalThreads().size();
    }

    /** Port of the HTTP endpoints (useful when {@code http.port} is 0). */
    public int httpPort() {
        return http.port();
    }

    /**
     * Waits until the application has consumed every record of every topic it reads and every buffered window
     * has been flushed, or fails after {@code timeout}. Once the input is consumed, the open windows of this
     * process are closed at once (drained) instead of after the idle timeout, as a scheduled job run ends.
     */
    public void awaitCaughtUp(Duration timeout) throws InterruptedException, TimeoutException {
        await(timeout, true);
    }

    /** Waits until every record of every topic the application reads is consumed; open windows stay open. */
    public void awaitInputConsumed(Duration timeout) throws InterruptedException, TimeoutException {
        await(timeout, false);
    }

    private void await(Duration timeout, boolean drain) throws InterruptedException, TimeoutException {
        Instant deadline = Instant.now().plus(timeout);
        Set<String> topics = consumedTopics();
        CatchUp catchUp = new CatchUp(ports.drain(), drain, config.application().commitInterval());
        try (LagProbe probe = new LagProbe(admin, clientProps(), config.application().id(),
                config.application().commitInterval())) {
            while (true) {
                failIfDead();
                long now = System.currentTimeMillis();
                long stuck = longestWithoutPoll();
                Map<TopicPartition, Long> lag = state() == KafkaStreams.State.RUNNING && stuck < BUSY_SECONDS
                        ? probe.lag(topics) : null;
                if (lag != null && lag.isEmpty()) {
                    ports.drain().inputConsumed(now);
                }
                String notRunning = state() != KafkaStreams.State.RUNNING ? "state " + state()
                        : "a stream thread busy for " + stuck + " s (an Iceberg commit or maintenance pass)";
                if (catchUp.check(lag, notRunning, now)) {
                    return;
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new TimeoutException("not caught up after " + timeout + ": " + catchUp.waitingFor());
                }
                Thread.sleep(CHECK_EVERY_MILLIS);
            }
        }
    }

    /**
     * The longest time any stream thread has not polled, in whole seconds. A thread inside a long Iceberg commit or
     * maintenance pass holds an open transaction with whatever its tasks emitted before (landing events of the last
     * windows): nothing of that is visible to the lag yet, and if the transaction outlives its timeout it is aborted
     * and redone after a rebalance. A run is not caught up while that may be so.
     */
    private long longestWithoutPoll() {
        double longest = 0;
        for (var e : streams.metrics().entrySet()) {
            org.apache.kafka.common.MetricName name = e.getKey();
            String client = name.tags().getOrDefault("client-id", "");
            if ("last-poll-seconds-ago".equals(name.name()) && client.endsWith("-consumer")
                    && !client.endsWith("-restore-consumer") && e.getValue().metricValue() instanceof Number n) {
                longest = Math.max(longest, n.doubleValue());
            }
        }
        return (long) longest;
    }

    /** Blocks until Kafka Streams stops (shutdown or fatal error); a timeout raises TimeoutException. */
    public void awaitStopped(Duration timeout) throws InterruptedException, TimeoutException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            KafkaStreams.State s = state();
            if (s == KafkaStreams.State.NOT_RUNNING || s == KafkaStreams.State.ERROR) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new TimeoutException("still running after " + timeout);
            }
            Thread.sleep(500);
        }
    }

    private void failIfDead() {
        KafkaStreams.State s = state();
        if (s == KafkaStreams.State.ERROR || s == KafkaStreams.State.PENDING_ERROR
                || s == KafkaStreams.State.NOT_RUNNING || s == KafkaStreams.State.PENDING_SHUTDOWN) {
            Throwable cause = fatal.get();
            throw new IllegalStateException("Kafka Streams stopped (" + s + ")"
                    + (cause == null ? "" : ": " + reason(cause)), cause);
        }
    }

    /**
     * The message that says what to fix: that of the first lakestream exception in the chain (an S3 or Glue adapter
     * names the bucket, permission or setting), which Kafka Streams wraps and the root AWS exception lacks.
     */
    static String reason(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c.getClass().getName().startsWith("io.lakestream.") && c.getMessage() != null) {
                return c.getMessage();
            }
        }
        return rootMessage(t);
    }

    public static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == t ? String.valueOf(t.getMessage()) : t.getMessage() + " (cause: " + root + ")";
    }

    /** Topics this topology reads, with internal topic names resolved to their application-prefixed form. */
    private Set<String> consumedTopics() {
        Set<String> result = new HashSet<>();
        for (TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
                    for (String t : source.topicSet()) {
                        result.add(t);
                        result.add(config.application().id() + "-" + t);
                    }
                }
            }
        }
        return result;
    }

    private Properties clientProps() {
        Properties p = new Properties();
        config.kafka().forEach(p::put);
        return p;
    }

    /**
     * Records of the raw topics the application has not consumed yet (committed offsets to the last stable offsets),
     * or -1 while it is not running or the brokers do not answer.
     */
    public long sourceLag() {
        if (admin == null || state() != KafkaStreams.State.RUNNING) {
            return -1;
        }
        Set<String> raw = new HashSet<>();
        config.pipelines().forEach(p -> raw.addAll(p.source().topics()));
        try (LagProbe probe = new LagProbe(admin, clientProps(), config.application().id(),
                config.application().commitInterval())) {
            return probe.lag(raw).values().stream().mapToLong(Long::longValue).sum();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    public Throwable failure() {
        return fatal.get();
    }

    /**
     * Leaves the consumer group on close, so that whoever takes over (the next scheduled run, the task that replaces
     * this one, the other instances) gets the partitions at once instead of after the session timeout (45 s by
     * default) — unless the instance has a static membership ({@code group.instance.id}), which exists to keep its
     * partitions across a restart.
     */
    static CloseOptions closeOptions(Map<String, String> kafka) {
        boolean staticMember = kafka.keySet().stream()
                .anyMatch(k -> k.endsWith(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
        return CloseOptions.groupMembershipOperation(staticMember
                ? CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP
                : CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(Duration.ofSeconds(60));
    }

    @Override
    public void close() {
        if (inputWatch != null) {
            inputWatch.close();
        }
        if (streams != null) {
            streams.close(closeOptions(config.kafka()));
        }
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        if (http != null) {
            http.close();
        }
        if (watchProbe != null) {
            watchProbe.close();
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        ports.store().close();
        ports.catalog().close();
        ports.registry().close();
    }
}
