package io.lakestream.bench;

import io.lakestream.cli.Main;
import io.lakestream.testing.ChildLogback;
import io.lakestream.testing.LakestreamJvm;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * lakestream as the service it is ({@code Main run --config FILE}) in a JVM of its own ({@link LakestreamJvm}, the
 * default JIT, as {@link VariantProcess} starts a variant), with its readiness probe. Output goes to a log file.
 */
final class LakestreamProcess implements AutoCloseable {

    private static final Pattern HTTP_PORT = Pattern.compile("HTTP endpoints listening on port (\\d+)");

    private final LakestreamJvm jvm;

    private LakestreamProcess(LakestreamJvm jvm) {
        this.jvm = jvm;
    }

    /** @param env AWS settings of the child (moto accepts any credentials; a developer's profile must not be used) */
    static LakestreamProcess start(Path config, Path workDir, String heap, Map<String, String> env) throws IOException {
        return new LakestreamProcess(launch(workDir, heap, "lakestream.log", "run", "--config", config.toString())
                .env(env).start());
    }

    /**
     * A lakestream command in a JVM of its own with this benchmark's logging (lakestream at INFO, the rest at WARN),
     * its output in {@code workDir/logName}.
     */
    static LakestreamJvm.Launch launch(Path workDir, String heap, String logName, String... args) throws IOException {
        Files.createDirectories(workDir);
        String logback = ChildLogback.write(workDir.resolve("logback-lakestream.xml"), "io.lakestream=INFO");
        return LakestreamJvm.command(args).heap(heap).jvmOption(logback).log(workDir.resolve(logName));
    }

    long pid() {
        return jvm.process().pid();
    }

    Path log() {
        return jvm.log();
    }

    boolean isAlive() {
        return jvm.isAlive();
    }

    /** Waits until {@code /health/ready} answers 200 (Kafka Streams RUNNING); false on timeout or exit. */
    boolean awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Integer port = null;
        while (System.nanoTime() < deadline && jvm.isAlive()) {
            if (port == null) {
                Matcher m = HTTP_PORT.matcher(jvm.output());
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
        jvm.stop();
        return jvm.process().exitValue();
    }

    @Override
    public void close() {
        try {
            jvm.close();
        } catch (InterruptedException e) {
            jvm.process().destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
