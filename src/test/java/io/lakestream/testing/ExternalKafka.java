package io.lakestream.testing;

import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.runtime.NewTopics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka (broker and controller in one) running as a separate JVM process, so that tests and
 * benchmarks can kill it ({@code kill -9}), stop it (SIGTERM) and restart it on the same ports and data, and so
 * that its heap and CPU are not mixed with the process under test.
 *
 * <p>The broker runs from this JVM's own class path ({@code org.apache.kafka:kafka_2.13} is a dependency of the
 * project). Its log goes to {@code broker.log} in its folder; {@link #close()} stops it and deletes the folder.
 */
public final class ExternalKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExternalKafka.class);
    private static final String CLUSTER_ID = "lakestream-test-cluster-1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path dir;
    private final Path dataDir;
    private final Path configFile;
    private final Path logFile;
    private final int port;
    private final int controllerPort;
    private final String heap;
    private final List<String> jvmOptions;
    private final Map<String, String> overrides;
    private final Thread reaper = new Thread(this::killQuietly, "external-kafka-reaper");
    private Process process;
    private boolean formatted;

    /** A broker with a 512 MiB heap and the defaults below; call {@link #start()}. */
    public ExternalKafka() {
        this(Map.of(), "512m");
    }

    /**
     * @param brokerOverrides server properties replacing or adding to the defaults (e.g. timeouts in chaos tests)
     * @param maxHeap         the broker's {@code -Xmx}, e.g. {@code 512m}
     */
    public ExternalKafka(Map<String, String> brokerOverrides, String maxHeap) {
        this(brokerOverrides, maxHeap, List.of());
    }

    /** @param jvmOptions further options of the broker's JVM (a profiler agent in a benchmark) */
    public ExternalKafka(Map<String, String> brokerOverrides, String maxHeap, List<String> jvmOptions) {
        try {
            this.dir = Files.createTempDirectory("lakestream-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder for the broker", e);
        }
        this.dataDir = dir.resolve("data");
        this.configFile = dir.resolve("server.properties");
        this.logFile = dir.resolve("broker.log");
        this.port = freePort();
        this.controllerPort = freePort();
        this.heap = maxHeap;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.overrides = Map.copyOf(brokerOverrides);
        // A broker left behind by a test JVM that ends abruptly would hold ports and memory for other runs.
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** Formats the log folder on first start, starts the broker, and returns once it answers Admin calls. */
    public synchronized ExternalKafka start() {
        if (isRunning()) {
            throw new IllegalStateException("broker already running, pid " + process.pid());
        }
        try {
            if (!formatted) {
                writeConfig();
                format();
                formatted = true;
            }
            process = launch(List.of("kafka.Kafka", configFile.toString()), logFile, true);
            awaitReady();
            log.info("Kafka broker up pid={} bootstrap={} dir={}", process.pid(), bootstrapServers(), dir);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the broker in " + dir, e);
        }
    }

    /** {@code 127.0.0.1:<port>}; stable across restarts. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Creates a topic (one replica) and returns once every partition takes writes ({@link NewTopics#create}). */
    public void createTopic(String topic, int partitions) {
        try (Admin admin = Admin.create(adminConfig())) {
            NewTopics.create(admin, List.of(new NewTopic(topic, partitions, (short) 1)), START_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating topic " + topic, e);
        }
    }

    /** The broker process id, for signals (e.g. {@code kill -STOP}) and /proc readings. */
    public long pid() {
        if (process == null) {
            throw new IllegalStateException("broker not started");
        }
        return process.pid();
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Graceful stop (SIGTERM, controlled shutdown); forcibly killed if it has not exited within 30 s. */
    public synchronized void stop() {
        if (!isRunning()) {
            return;
        }
        long pid = process.pid();
        process.destroy();
        if (!waitFor(process, STOP_TIMEOUT)) {
            log.warn("Kafka broker pid={} ignored SIGTERM for {}; killing it", pid, STOP_TIMEOUT);
            kill();
        }
        log.info("Kafka broker stopped pid={}", pid);
    }

    /** Crash: {@code kill -9}; returns once the process is gone. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        long pid = process.pid();
        process.destroyForcibly();
        if (!waitFor(process, STOP_TIMEOUT)) {
            throw new IllegalStateException("broker pid " + pid + " survived kill -9 for " + STOP_TIMEOUT);
        }
        log.info("Kafka broker killed pid={}", pid);
    }

    /** Stops the broker if running (gracefully) and starts it again on the same ports, keeping its data. */
    public synchronized ExternalKafka restart() {
        stop();
        return start();
    }

    /** Kills the broker and deletes its folder, data included. */
    @Override
    public synchronized void close() {
        try {
            kill();
        } finally {
            deleteFolder();
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to run; it is harmless after the kill above
            }
        }
    }

    /** The broker's own log, for failure messages. */
    public Path logFile() {
        return logFile;
    }

    private void writeConfig() throws IOException {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners",
                "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        props.put("log.dirs", dataDir.toString());
        props.putAll(EmbeddedKafka.SINGLE_NODE);
        // After kill -9 the restarted node may not register until its old session expires (default 9 s);
        // 6 s keeps restarts quick without fencing a live broker during a long GC pause on a busy machine.
        props.put("broker.heartbeat.interval.ms", "1000");
        props.put("broker.session.timeout.ms", "6000");
        props.putAll(overrides);
        StringBuilder text = new StringBuilder();
        props.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Files.writeString(configFile, text.toString());
        ChildLogback.write(dir.resolve("logback.xml"), "kafka=INFO", "org.apache.kafka=INFO",
                "state.change.logger=WARN", "kafka.request.logger=WARN");
    }

    private void format() throws IOException {
        Path formatLog = dir.resolve("format.log");
        Process formatter = launch(List.of("kafka.tools.StorageTool", "format", "-t", CLUSTER_ID, "-c",
                configFile.toString(), "--standalone"), formatLog, false);
        if (!waitFor(formatter, START_TIMEOUT)) {
            formatter.destroyForcibly();
            throw new IllegalStateException("formatting the broker's storage took over " + START_TIMEOUT);
        }
        if (formatter.exitValue() != 0) {
            throw new IllegalStateException("formatting the broker's storage failed (exit " + formatter.exitValue()
                    + "):\n" + tail(formatLog));
        }
    }

    private Process launch(List<String> mainAndArgs, Path output, boolean broker) throws IOException {
        // An argument file keeps a long class path off the command line (and its length limit).
        Path argFile = dir.resolve(broker ? "broker.args" : "format.args");
        Files.writeString(argFile, "-cp \"" + System.getProperty("java.class.path").replace("\\", "\\\\") + "\"\n");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + (broker ? heap : "256m"));
        if (broker) {
            command.addAll(jvmOptions);
        }
        command.add("-Djava.awt.headless=true");
        command.add("-Dlogback.configurationFile=" + dir.resolve("logback.xml"));
        command.add("@" + argFile);
        command.addAll(mainAndArgs);
        return new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                .start();
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!portOpen()) {
            checkAlive();
            if (System.nanoTime() > deadline) {
                throw startFailure("port " + port + " not open after " + START_TIMEOUT);
            }
            sleep(100);
        }
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            checkAlive();
            try (Admin admin = Admin.create(adminConfig())) {
                if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                    return;
                }
            } catch (Exception e) {
                last = new IllegalStateException(e);
            }
            sleep(200);
        }
        throw startFailure("no Admin call succeeded within " + START_TIMEOUT + (last == null ? "" : ": " + last));
    }

    private Properties adminConfig() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        return p;
    }

    private void checkAlive() {
        if (!process.isAlive()) {
            throw startFailure("broker exited with " + process.exitValue());
        }
    }

    private IllegalStateException startFailure(String why) {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        return new IllegalStateException("Kafka broker did not start (" + why + "); its log ends:\n" + tail(logFile));
    }

    private boolean portOpen() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A port below the kernel's ephemeral range, free now. Ports must stay the same across restarts; one from the
     * ephemeral range could be taken by any client's outgoing connection while the broker is down.
     */
    private static int freePort() {
        int below = ephemeralRangeStart();
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200 && below > 12_000; attempt++) {
            int candidate = random.nextInt(10_000, below);
            try (ServerSocket s = new ServerSocket(candidate, 1, java.net.InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException inUse) {
                // try another
            }
        }
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    private static int ephemeralRangeStart() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }

    private static boolean waitFor(Process p, Duration timeout) {
        try {
            return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for pid " + p.pid(), e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the broker", e);
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void killQuietly() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
        }
    }

    private void deleteFolder() {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("Could not delete the broker folder dir={}", dir, e);
        }
    }
}
