package io.lakestream.testing;

import io.lakestream.aws.AwsClients;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A {@code moto_server} process (S3, Glue, Glue Schema Registry over real HTTP) on a free port of 127.0.0.1.
 * The executable must be on PATH; when it is not, {@link #start()} throws with the install command, so tests
 * that need it fail instead of being skipped.
 *
 * <p>Use {@link MotoExtension} (or {@link #shared()}) to share one server across the test classes of a run, or
 * {@link #start()} and {@link #close()} for a server of one's own.
 */
public final class MotoServer implements AutoCloseable {

    public static final String REGION = "us-east-1";
    /** Static credentials for clients of this server; moto accepts any. */
    public static final String ACCESS_KEY = "testing";
    public static final String SECRET_KEY = "testing";
    private static final Logger log = LoggerFactory.getLogger(MotoServer.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final URI endpoint;
    private final Path logFile;
    private final boolean ownsLogFile;
    /** Stops the process if the JVM exits before {@link #close()}, so no moto_server outlives a run. */
    private final Thread reaper;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static MotoServer shared;

    /** The server shared by the whole JVM: started on first call, stopped when the JVM exits. */
    public static synchronized MotoServer shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    private MotoServer(Process process, URI endpoint, Path logFile, boolean ownsLogFile) {
        this.process = process;
        this.endpoint = endpoint;
        this.logFile = logFile;
        this.ownsLogFile = ownsLogFile;
        this.reaper = new Thread(this::release, "moto-server-stop");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** Starts a server on a free port and waits until it answers HTTP; its log is deleted on {@link #close()}. */
    public static MotoServer start() {
        try {
            return start(Files.createTempFile("moto-server-", ".log"), true);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the moto_server log file: " + e.getMessage(), e);
        }
    }

    /** Like {@link #start()}, but the server's output goes to {@code logFile}, which outlives the server. */
    public static MotoServer start(Path logFile) {
        return start(logFile, false);
    }

    private static MotoServer start(Path logFile, boolean ownsLogFile) {
        Path executable = findOnPath("moto_server");
        try {
            int port = freePort();
            if (logFile.getParent() != null) {
                Files.createDirectories(logFile.getParent());
            }
            ProcessBuilder builder = new ProcessBuilder(executable.toString(), "-H", "127.0.0.1", "-p",
                    String.valueOf(port)).redirectErrorStream(true).redirectOutput(logFile.toFile());
            // The recorder only records between startRecording() and stopRecording(); enabling it costs nothing.
            builder.environment().put("MOTO_ENABLE_RECORDING", "True");
            builder.environment().put("MOTO_RECORDER_FILEPATH",
                    Files.createTempFile("moto-recording-", ".jsonl").toString());
            Process process = builder.start();
            MotoServer server = new MotoServer(process, URI.create("http://127.0.0.1:" + port), logFile, ownsLogFile);
            server.awaitReady();
            log.info("moto_server ready at {} (log {})", server.endpoint, logFile);
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + executable + ": " + e.getMessage(), e);
        }
    }

    /** Base URI to use as endpoint override for every AWS client, e.g. {@code http://127.0.0.1:5123}. */
    public URI endpoint() {
        return endpoint;
    }

    /** AWS clients for this server: region {@value #REGION}, dummy static credentials (moto accepts any). */
    public AwsClients clients() {
        return new AwsClients(REGION, endpoint,
                StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)));
    }

    /** Forgets every bucket, object, database, table, registry and schema. */
    public void reset() {
        api("POST", "/moto-api/reset");
    }

    /** Records every request the server receives from now on (moto's recorder), forgetting earlier recordings. */
    public void startRecording() {
        api("POST", "/moto-api/recorder/reset-recording");
        api("POST", "/moto-api/recorder/start-recording");
    }

    /** Stops recording; returns the requests recorded since {@link #startRecording()}, one JSON object each. */
    public List<String> stopRecording() {
        api("POST", "/moto-api/recorder/stop-recording");
        return api("GET", "/moto-api/recorder/download-recording").lines().filter(l -> !l.isBlank()).toList();
    }

    private String api(String method, String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint.resolve(path))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("moto " + path + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("moto " + path + " failed: " + e.getMessage() + "\n" + logTail(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Stops the server and any process it started. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting: the hook stops the process anyway
        }
        release();
    }

    private void release() {
        stopProcess();
        if (ownsLogFile) {
            try {
                Files.deleteIfExists(logFile);
            } catch (IOException e) {
                log.debug("Could not delete {}", logFile, e);
            }
        }
    }

    private void stopProcess() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                http.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).timeout(Duration.ofSeconds(2))
                        .GET().build(), HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException notYet) {
                sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        close();
        throw new IllegalStateException("moto_server did not answer within " + STARTUP_TIMEOUT + ":\n" + logTail());
    }

    private String logTail() {
        try {
            String text = Files.readString(logFile);
            return text.substring(Math.max(0, text.length() - 4000));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static Path findOnPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(name + " was not found on PATH (" + path + "). The integration tests need"
                + " it: install it with `pip install \"moto[server]\"` and put its bin folder on PATH.");
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
