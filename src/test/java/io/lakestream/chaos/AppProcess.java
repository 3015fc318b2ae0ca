package io.lakestream.chaos;

import io.lakestream.cli.Main;
import io.lakestream.testing.ChildLogback;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lakestream instance as a separate JVM ({@code Main run --config FILE}) that the chaos harness can kill with
 * SIGKILL, pause with SIGSTOP, resume and restart. Its output (every start appended) goes to {@code <name>.log};
 * {@link #awaitLine} watches that file for new lines, so scenarios can strike at a given moment, e.g. mid-flush.
 */
final class AppProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AppProcess.class);
    private static final Pattern HTTP_PORT = Pattern.compile("HTTP endpoints listening on port (\\d+)");
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final Path config;
    private final Path logFile;
    private final Path argFile;
    private final Path logback;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final Thread reaper = new Thread(this::killQuietly, "app-reaper");
    private Process process;
    private boolean paused;
    private long startOffset;
    private long watchOffset;
    private final StringBuilder partial = new StringBuilder();
    private int starts;

    AppProcess(String name, Path config, Path workDir) {
        this.name = name;
        this.config = config;
        this.logFile = workDir.resolve(name + ".log");
        this.argFile = workDir.resolve("app-classpath.args");
        this.logback = workDir.resolve("logback-app.xml");
        try {
            Files.writeString(argFile, "-cp \"" + System.getProperty("java.class.path").replace("\\", "\\\\")
                    + "\"\n");
            ChildLogback.write(logback, "io.lakestream=INFO", "org.apache.kafka=WARN",
                    "org.apache.kafka.streams.processor.internals.StreamThread=INFO", "kafka=WARN",
                    "org.apache.parquet=WARN", "org.apache.hadoop=ERROR", "software.amazon=WARN");
            Files.writeString(logFile, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** The file that, once created, holds the next Iceberg committer of any instance after its Iceberg commit. */
    static Path pauseMarker(Path workDir) {
        return workDir.resolve("pause-after-iceberg-commit");
    }

    String name() {
        return name;
    }

    Path logFile() {
        return logFile;
    }

    /** Starts {@code run --config FILE} plus {@code extraArgs}; new lines are watched from here on. */
    synchronized AppProcess start(String... extraArgs) {
        if (isAlive()) {
            throw new IllegalStateException(name + " already running, pid " + process.pid());
        }
        try {
            starts++;
            Files.writeString(logFile, "===== chaos: start #" + starts + " of " + name + " at " + Instant.now()
                    + " =====\n", StandardOpenOption.APPEND);
            startOffset = Files.size(logFile);
            watchOffset = startOffset;
            partial.setLength(0);
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Dlogback.configurationFile=" + logback,
                    // The committer's test pause point (iceberg.PausePoint): armed by creating the file.
                    "-Dlakestream.test.pause-after-iceberg-commit=" + pauseMarker(logFile.getParent()),
                    "@" + argFile, Main.class.getName(), "run", "--config", config.toString()));
            command.addAll(List.of(extraArgs));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            // moto accepts any credentials; the child must not find a developer's real profile either.
            Map<String, String> env = pb.environment();
            env.put("AWS_ACCESS_KEY_ID", "testing");
            env.put("AWS_SECRET_ACCESS_KEY", "testing");
            env.put("AWS_SESSION_TOKEN", "testing");
            env.put("AWS_REGION", "us-east-1");
            env.put("AWS_EC2_METADATA_DISABLED", "true");
            env.remove("AWS_PROFILE");
            process = pb.start();
            paused = false;
            log.info("chaos: started {} pid={} (start #{})", name, process.pid(), starts);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    synchronized long pid() {
        return process.pid();
    }

    /** Exit code of the last run, or null while it runs (or before the first start). */
    synchronized Integer exitCode() {
        return process == null || process.isAlive() ? null : process.exitValue();
    }

    /** {@code kill -9}; returns once the process is gone. A paused process is killed without running again. */
    synchronized void kill() {
        if (process == null) {
            return;
        }
        // SIGKILL ends a stopped process too: no SIGCONT first, which would let it run (and commit) a moment.
        paused = false;
        process.destroyForcibly();
        waitForExit(STOP_TIMEOUT);
        log.info("chaos: killed {} pid={} (-9)", name, process.pid());
    }

    /** SIGTERM (graceful shutdown); SIGKILL if it has not exited within 60 s. Returns the exit code. */
    synchronized int stop() {
        if (process == null) {
            return -1;
        }
        resume();
        process.destroy();
        if (!waitForExit(STOP_TIMEOUT)) {
            log.warn("chaos: {} pid={} ignored SIGTERM for {}; killing it", name, process.pid(), STOP_TIMEOUT);
            process.destroyForcibly();
            waitForExit(STOP_TIMEOUT);
        }
        return process.exitValue();
    }

    /** SIGSTOP: the JVM freezes, heartbeats included, so the group fences it out after its session timeout. */
    synchronized void pause() {
        signal("STOP");
        paused = true;
    }

    /** SIGCONT after {@link #pause()}; harmless otherwise. */
    synchronized void resume() {
        if (paused && process.isAlive()) {
            signal("CONT");
        }
        paused = false;
    }

    boolean waitForExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + name, e);
        }
    }

    /**
     * Waits for a line matching {@code pattern} that this run writes after the previous match (or its start);
     * returns the line, or null after {@code timeout} or when the process exits.
     */
    String awaitLine(Pattern pattern, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            for (String line : newLines()) {
                if (pattern.matcher(line).find()) {
                    return line;
                }
            }
            if (!isAlive()) {
                return null;
            }
            sleep(20);
        } while (System.nanoTime() < deadline);
        return null;
    }

    /** Forgets the output written so far: {@link #awaitLine} sees only lines written from now on. */
    synchronized void skipToEnd() {
        try {
            watchOffset = Files.size(logFile);
            partial.setLength(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when /health/ready answers 200 (Kafka Streams RUNNING). */
    boolean ready() {
        Integer port = httpPort();
        if (port == null || !isAlive() || paused) {
            return false;
        }
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The last {@code lines} lines of the output, for failure messages. */
    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** Number of lines of all runs so far matching {@code pattern}. */
    long count(Pattern pattern) {
        try (var lines = Files.lines(logFile, StandardCharsets.UTF_8)) {
            return lines.filter(l -> pattern.matcher(l).find()).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (UncheckedIOException e) {
            return 0; // a line cut mid-character while the child writes
        }
    }

    @Override
    public void close() {
        try {
            kill();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running; it kills the process too
            }
        }
    }

    private Integer httpPort() {
        try (RandomAccessFile f = new RandomAccessFile(logFile.toFile(), "r")) {
            f.seek(startOffset);
            byte[] bytes = new byte[(int) Math.min(f.length() - startOffset, 4_000_000)];
            f.readFully(bytes);
            Matcher m = HTTP_PORT.matcher(new String(bytes, StandardCharsets.UTF_8));
            return m.find() ? Integer.valueOf(m.group(1)) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private synchronized List<String> newLines() {
        List<String> lines = new ArrayList<>();
        try (RandomAccessFile f = new RandomAccessFile(logFile.toFile(), "r")) {
            long length = f.length();
            if (length <= watchOffset) {
                return lines;
            }
            f.seek(watchOffset);
            byte[] bytes = new byte[(int) (length - watchOffset)];
            f.readFully(bytes);
            watchOffset = length;
            partial.append(new String(bytes, StandardCharsets.UTF_8));
            int nl;
            while ((nl = partial.indexOf("\n")) >= 0) {
                lines.add(partial.substring(0, nl));
                partial.delete(0, nl + 1);
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void signal(String signal) {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
            }
            log.info("chaos: SIG{} {} pid={}", signal, name, process.pid());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted signalling " + name, e);
        }
    }

    private void killQuietly() {
        Process p = process;
        if (p != null && p.isAlive()) {
            try {
                new ProcessBuilder("kill", "-CONT", Long.toString(p.pid())).start().waitFor(5, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException ignored) {
                // killing is what matters
            }
            p.destroyForcibly();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
