package io.lakestream.bench;

import io.lakestream.cli.Main;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * lakestream as the service it is ({@code Main run --config FILE}) in a JVM of its own, with this JVM's class path and
 * the default JIT (as {@link VariantProcess} starts a variant). Output goes to a log file.
 */
final class LakestreamProcess implements AutoCloseable {

    private static final Pattern HTTP_PORT = Pattern.compile("HTTP endpoints listening on port (\\d+)");
    private static final String LOGBACK = """
            <configuration>
              <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
              </appender>
              <logger name="io.lakestream" level="INFO"/>
              <root level="WARN"><appender-ref ref="OUT"/></root>
            </configuration>
            """;

    private final Process process;
    private final Path log;
    private final Thread reaper;

    private LakestreamProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        // A benchmark stopped with Ctrl-C must not leave lakestream running (and loading the cores) behind it.
        this.reaper = new Thread(process::destroyForcibly, "lakestream-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** @param env AWS settings of the child (moto accepts any credentials; a developer's profile must not be used) */
    static LakestreamProcess start(Path config, Path workDir, String heap, Map<String, String> env) throws IOException {
        Files.createDirectories(workDir);
        Path argFile = workDir.resolve("java.args");
        Files.writeString(argFile, "-cp \"" + System.getProperty("java.class.path").replace("\\", "\\\\") + "\"\n");
        Path logback = workDir.resolve("logback-lakestream.xml");
        Files.writeString(logback, LOGBACK);
        Path log = workDir.resolve("lakestream.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-Xmx" + heap, "-Dlogback.configurationFile=" + logback, "@" + argFile,
                Main.class.getName(), "run", "--config", config.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("AWS_PROFILE");
        pb.environment().putAll(env);
        return new LakestreamProcess(pb.start(), log);
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until {@code /health/ready} answers 200 (Kafka Streams RUNNING); false on timeout or exit. */
    boolean awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Integer port = null;
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (port == null) {
                Matcher m = HTTP_PORT.matcher(Files.readString(log));
                port = m.find() ? Integer.parseInt(m.group(1)) : null;
            } else {
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/health/ready")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers
                            .ofString());
                    if (r.statusCode() == 200) {
                        return true;
                    }
                } catch (IOException notYet) {
                    // the server may still be starting
                }
            }
            Thread.sleep(250);
        }
        return false;
    }

    /** SIGTERM (lakestream's graceful shutdown); SIGKILL after a minute. Returns the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                stop();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().removeShutdownHook(reaper);
    }
}
