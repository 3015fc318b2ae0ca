package io.lakestream.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /health/live}, {@code /health/ready} and {@code /metrics} (Prometheus text format).
 * Live means the process is not in a terminal error state (a restart would help); ready means Kafka Streams
 * is RUNNING (all tasks assigned and restored) and nothing else says no (the data-quality gate of a run).
 */
final class HttpEndpoints implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpEndpoints.class);

    private final HttpServer server;

    /** Listens where {@code http.bind-address} and {@code http.port} say. */
    static HttpEndpoints start(io.lakestream.config.HttpConfig http, Supplier<KafkaStreams.State> state,
                               Supplier<Optional<String>> notReady, PrometheusMeterRegistry registry)
            throws IOException {
        return new HttpEndpoints(new InetSocketAddress(http.bindAddress(), http.port()), state, notReady, registry);
    }

    /** @param bind {@code http.bind-address} and {@code http.port} */
    HttpEndpoints(InetSocketAddress bind, Supplier<KafkaStreams.State> state, Supplier<Optional<String>> notReady,
                  PrometheusMeterRegistry registry) throws IOException {
        if (bind.isUnresolved()) {
            throw new IOException("http.bind-address: cannot resolve " + bind.getHostString());
        }
        server = HttpServer.create(bind, 0);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "lakestream-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/health/live", exchange -> {
            KafkaStreams.State s = state.get();
            boolean live = s != KafkaStreams.State.ERROR && s != KafkaStreams.State.PENDING_ERROR;
            respond(exchange, live ? 200 : 503, "text/plain", (live ? "LIVE " : "DEAD ") + s + "\n");
        });
        server.createContext("/health/ready", exchange -> {
            KafkaStreams.State s = state.get();
            Optional<String> problem = notReady.get();
            boolean ready = s == KafkaStreams.State.RUNNING && problem.isEmpty();
            respond(exchange, ready ? 200 : 503, "text/plain", (ready ? "READY " : "NOT READY ") + s
                    + problem.map(p -> ": " + p).orElse("") + "\n");
        });
        server.createContext("/metrics", exchange ->
                respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.start();
        // "listening on port N" is what supervisors and the chaos harness look for: keep it first.
        log.info("HTTP endpoints listening on port {} of {}", port(), address().getHostAddress());
    }

    /** The address listened on: the wildcard address for all interfaces. */
    java.net.InetAddress address() {
        return server.getAddress().getAddress();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
