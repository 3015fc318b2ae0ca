package io.lakestream.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** A moto server (S3 and Glue over real HTTP) as a child process, for the S3 variants. */
final class MotoServer implements AutoCloseable {

    static final String REGION = "us-east-1";
    static final String ACCESS_KEY = "bench";
    static final String SECRET_KEY = "bench";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final URI endpoint;

    private final Thread reaper;

    private MotoServer(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
        this.reaper = new Thread(process::destroyForcibly, "moto-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** Starts {@code moto_server} on a free 127.0.0.1 port; its output goes to {@code log}. */
    static MotoServer start(Path log) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        MotoServer moto = new MotoServer(p, URI.create("http://127.0.0.1:" + port));
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!portOpen(port)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                moto.close();
                throw new IllegalStateException("moto_server did not start on port " + port + "; see " + log);
            }
            Thread.sleep(100);
        }
        return moto;
    }

    URI endpoint() {
        return endpoint;
    }

    void createBucket(String bucket) {
        try (S3Client s3 = S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .forcePathStyle(true)
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
            s3.createBucket(b -> b.bucket(bucket));
        }
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static boolean portOpen(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
