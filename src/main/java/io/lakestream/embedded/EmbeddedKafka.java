package io.lakestream.embedded;

import io.lakestream.runtime.NewTopics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka cluster (one KRaft broker that is also its controller) inside this JVM, for {@code demo}
 * and the integration tests. It listens on free ports of 127.0.0.1, keeps its log in a temp folder removed by
 * {@link #close()}, and is configured for one node: replication factor 1 and min ISR 1 for the offsets and
 * transaction-state topics (so exactly-once Kafka Streams works), no initial rebalance delay.
 *
 * <p>Built from the broker classes of {@code kafka_2.13} only (storage formatting + {@link KafkaRaftServer}),
 * not from Kafka's test kit, so main code needs no test artifacts.
 *
 * <p>Besides the PLAINTEXT listener (used by {@link #admin()} and between broker and controller), {@link #builder()}
 * adds secured client listeners, one per {@link SecurityProtocol}: SSL with client certificates required (mTLS),
 * SASL_PLAINTEXT and SASL_SSL with SCRAM-SHA-512. {@link #bootstrapServers(SecurityProtocol)} names each.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaRaftServer server;
    private final Path logDir;
    private final Map<SecurityProtocol, String> bootstrapByProtocol;
    private boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, Path logDir, Map<SecurityProtocol, String> bootstrapByProtocol) {
        this.server = server;
        this.logDir = logDir;
        this.bootstrapByProtocol = Map.copyOf(bootstrapByProtocol);
    }

    /** Options for a broker with secured client listeners; {@link Builder#start()} starts it. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts a broker with the defaults and waits until it serves requests. */
    public static EmbeddedKafka start() {
        return start(Map.of());
    }

    /**
     * Starts a broker and waits until it serves requests.
     *
     * @param overrides broker settings applied over the defaults (for secured listeners use {@link #builder()})
     */
    public static EmbeddedKafka start(Map<String, String> overrides) {
        return builder().withOverrides(overrides).start();
    }

    private static EmbeddedKafka start(BrokerSecurity security, Map<String, String> overrides) {
        Path logDir = null;
        try {
            logDir = Files.createTempDirectory("lakestream-kafka-");
            Map<SecurityProtocol, Integer> ports = new EnumMap<>(SecurityProtocol.class);
            ports.put(SecurityProtocol.PLAINTEXT, freePort());
            for (SecurityProtocol protocol : security.extraProtocols()) {
                ports.put(protocol, freePort());
            }
            int controllerPort = freePort();
            Properties props = defaults(logDir, ports.get(SecurityProtocol.PLAINTEXT), controllerPort);
            security.apply(props, ports);
            props.putAll(overrides);
            format(logDir, props, security.formatArguments());
            KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
            server.startup();
            Map<SecurityProtocol, String> bootstrap = new EnumMap<>(SecurityProtocol.class);
            ports.forEach((protocol, port) -> bootstrap.put(protocol, "127.0.0.1:" + port));
            EmbeddedKafka kafka = new EmbeddedKafka(server, logDir, bootstrap);
            try {
                kafka.awaitReady();
            } catch (RuntimeException e) {
                kafka.close();
                throw e;
            }
            log.info("Embedded Kafka broker ready with listeners {} (log dir {})", bootstrap, logDir);
            return kafka;
        } catch (IOException e) {
            deleteQuietly(logDir);
            throw new UncheckedIOException("cannot start the embedded Kafka broker: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(logDir);
            throw e;
        }
    }

    /**
     * Settings every single-node broker needs (this one and the separate-process broker of the tests): one replica
     * for every internal topic, or transactions and groups never become available; no initial rebalance delay.
     */
    public static final Map<String, String> SINGLE_NODE = Map.of(
            "offsets.topic.replication.factor", "1",
            "offsets.topic.num.partitions", "5",
            "transaction.state.log.replication.factor", "1",
            "transaction.state.log.min.isr", "1",
            "transaction.state.log.num.partitions", "5",
            "share.coordinator.state.topic.replication.factor", "1",
            "share.coordinator.state.topic.min.isr", "1",
            "group.initial.rebalance.delay.ms", "0");

    static Properties defaults(Path logDir, int brokerPort, int controllerPort) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir.resolve("data").toString());
        props.put("num.partitions", "1");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        props.putAll(SINGLE_NODE);
        // Small segments and no fsync: this broker's data lives only as long as the demo or test.
        props.put("log.segment.bytes", String.valueOf(16 * 1024 * 1024));
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        return props;
    }

    /** Writes the cluster id and bootstrap metadata into the log dirs, as {@code kafka-storage.sh format} does. */
    private static void format(Path logDir, Properties props, List<String> extraArguments) throws IOException {
        Path configFile = logDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(configFile)) {
            props.store(out, "embedded Kafka broker");
        }
        List<String> args = new ArrayList<>(List.of("format", "--cluster-id", Uuid.randomUuid().toString(),
                "--config", configFile.toString()));
        args.addAll(extraArguments);
        var output = new ByteArrayOutputStream();
        int exit;
        try (var print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exit = StorageTool.execute(args.toArray(String[]::new), print);
        }
        if (exit != 0) {
            throw new IllegalStateException("formatting the embedded Kafka storage failed (" + exit + "): "
                    + output.toString(StandardCharsets.UTF_8));
        }
    }

    private void awaitReady() {
        try (Admin admin = admin()) {
            long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the embedded Kafka broker did not become ready within "
                                + READY_TIMEOUT, notYet);
                    }
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the embedded Kafka broker", e);
        }
    }

    /** {@code bootstrap.servers} of the PLAINTEXT listener, e.g. {@code 127.0.0.1:41234}. */
    public String bootstrapServers() {
        return bootstrapServers(SecurityProtocol.PLAINTEXT);
    }

    /**
     * {@code bootstrap.servers} of the client listener for {@code protocol}, e.g. {@code 127.0.0.1:41235} for SSL.
     *
     * @throws IllegalArgumentException if this broker was started without that listener
     */
    public String bootstrapServers(SecurityProtocol protocol) {
        String bootstrap = bootstrapByProtocol.get(protocol);
        if (bootstrap == null) {
            throw new IllegalArgumentException("this embedded broker has no " + protocol + " listener (it has "
                    + bootstrapByProtocol.keySet() + "); EmbeddedKafka.builder() adds SSL with withSsl, "
                    + "SASL_PLAINTEXT with withScram, SASL_SSL with both");
        }
        return bootstrap;
    }

    /** The folder holding the broker's configuration and data, deleted by {@link #close()}. */
    public Path logDir() {
        return logDir;
    }

    /** An admin client for this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    /**
     * Adds or replaces a SCRAM-SHA-512 user while the broker runs, through the admin API, and waits until the
     * broker lists it. Users given to {@link Builder#withScram} need no call: they are written at format time.
     */
    public void createScramUser(String user, String password) {
        BrokerSecurity.requirePlainToken("SCRAM user name", user);
        BrokerSecurity.requirePlainToken("SCRAM password", password);
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)))
                    .all().get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!admin.describeUserScramCredentials(List.of(user)).all().get(30, TimeUnit.SECONDS)
                    .containsKey(user)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("SCRAM user " + user + " did not appear on the broker");
                }
                Thread.sleep(50);
            }
            log.info("SCRAM user {} created on the embedded Kafka broker", user);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create SCRAM user " + user + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("creating SCRAM user " + user + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating SCRAM user " + user, e);
        }
    }

    /** Creates topics with {@code partitions} partitions each (replication factor 1); existing ones are kept. */
    public void createTopics(int partitions, String... topics) {
        createTopics(Stream.of(topics).map(t -> new NewTopic(t, partitions, (short) 1)).toList());
    }

    /**
     * Creates topics; a topic that exists already is not an error. Returns once this broker leads each of their
     * partitions and takes writes ({@link NewTopics#create}): a client describing a topic at once (lakestream's start
     * checks) would otherwise be told it does not exist, or a producer writing at once be refused.
     */
    public void createTopics(Collection<NewTopic> topics) {
        try (Admin admin = admin()) {
            NewTopics.create(admin, topics, Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /** Stops the broker and deletes its log dir. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            deleteQuietly(logDir);
        }
        log.info("Embedded Kafka broker at {} stopped", bootstrapServers());
    }

    /**
     * Options of a broker with secured client listeners. {@link #withSsl} adds an SSL listener that requires a
     * client certificate (mTLS); {@link #withScram} adds a SASL_PLAINTEXT listener with SCRAM-SHA-512; both
     * together also add SASL_SSL (server-side TLS, SCRAM identifies the client).
     */
    public static final class Builder {

        private BrokerSecurity.Tls tls;
        private final List<BrokerSecurity.ScramUser> scramUsers = new ArrayList<>();
        private final Map<String, String> overrides = new HashMap<>();

        private Builder() {
        }

        /**
         * Serves SSL (and SASL_SSL with {@link #withScram}) with these PKCS12 stores.
         *
         * @param keystore   the broker's certificate (valid for 127.0.0.1) and private key
         * @param truststore the CA certificates whose client certificates the SSL listener accepts
         * @param password   the password of both stores and of the key
         */
        public Builder withSsl(Path keystore, Path truststore, String password) {
            this.tls = new BrokerSecurity.Tls(keystore, truststore, password);
            return this;
        }

        /**
         * Adds a SCRAM-SHA-512 user, present from the first start (written at format time). Name and password
         * are letters, digits, '.', '_' or '-'. Can be called more than once.
         */
        public Builder withScram(String user, String password) {
            scramUsers.add(new BrokerSecurity.ScramUser(user, password));
            return this;
        }

        /** Broker settings applied last, over the defaults and the listener settings. */
        public Builder withOverrides(Map<String, String> overrides) {
            this.overrides.putAll(overrides);
            return this;
        }

        /** Starts the broker and waits until it serves requests. */
        public EmbeddedKafka start() {
            return EmbeddedKafka.start(new BrokerSecurity(tls, scramUsers), overrides);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            log.warn("Could not delete {}: {}", dir, e.toString());
        }
    }
}
