package io.lakestream.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fault-injecting HTTP/1.1 reverse proxy on a free port of 127.0.0.1, in front of an AWS emulator (moto). Every
 * request is forwarded unless a {@link Rule} matches it; a rule answers with an error of its own, or resets the
 * connection before or after forwarding (the request then did or did not take effect), a given number of times, then
 * lets requests pass. {@link #refuse()} stops listening altogether (connection refused) until {@link #accept()}.
 *
 * <p>Raw sockets rather than an HTTP server library, because a connection reset (TCP RST) is one of the faults.
 * One request per connection: every response carries {@code Connection: close}, so the client never reuses a
 * connection the proxy is about to drop. {@code Expect: 100-continue} is answered here and not forwarded.
 */
public final class FaultProxy implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FaultProxy.class);
    /** Glue Schema Registry operations (X-Amz-Target suffixes) the GSR serde library calls. */
    public static final Set<String> SCHEMA_REGISTRY_OPERATIONS = Set.of("CreateRegistry", "GetRegistry",
            "GetSchemaByDefinition", "CreateSchema", "RegisterSchemaVersion", "GetSchemaVersion",
            "PutSchemaVersionMetadata", "QuerySchemaVersionMetadata", "GetSchema", "ListSchemaVersions");

    /** How a request looks to a rule: method, path, raw query and headers (names lower-case). */
    public record Request(String method, String path, String query, Map<String, String> headers) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** True if the query has parameter {@code name}, with or without a value ({@code ?uploads}). */
        public boolean hasParam(String name) {
            for (String p : query.split("&")) {
                if (p.equals(name) || p.startsWith(name + "=")) {
                    return true;
                }
            }
            return false;
        }

        /** {@code AWSGlue.CreateTable} for Glue calls, else {@code METHOD /path?query}. */
        public String operation() {
            String target = header("x-amz-target");
            return target != null ? target : method + " " + path + (query.isEmpty() ? "" : "?" + query);
        }

        private boolean isS3Object() {
            return header("x-amz-target") == null && path.indexOf('/', 1) > 0 && path.indexOf('/', 1) < path.length() - 1;
        }
    }

    /** What a rule does to a request it matches. */
    public enum Fault { RESPOND, RESET_BEFORE_FORWARDING, RESET_AFTER_FORWARDING }

    /** One programmed fault; {@link #injected()} counts how often it fired. */
    public static final class Rule {
        private final String name;
        private final Predicate<Request> match;
        private final Fault fault;
        private final int status;
        private final Map<String, String> headers;
        private final byte[] body;
        private final AtomicInteger remaining;
        private final AtomicInteger injected = new AtomicInteger();

        private Rule(String name, Predicate<Request> match, Fault fault, int times, int status,
                     Map<String, String> headers, String body) {
            this.name = name;
            this.match = match;
            this.fault = fault;
            this.remaining = new AtomicInteger(times);
            this.status = status;
            this.headers = headers;
            this.body = body.getBytes(StandardCharsets.UTF_8);
        }

        public int injected() {
            return injected.get();
        }

        private boolean take(Request request) {
            if (!match.test(request)) {
                return false;
            }
            while (true) {
                int left = remaining.get();
                if (left <= 0) {
                    return false;
                }
                if (remaining.compareAndSet(left, left - 1)) {
                    injected.incrementAndGet();
                    return true;
                }
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** As {@code times}: the rule fires on every matching request until {@link #clear()}. */
    public static final int ALWAYS = Integer.MAX_VALUE;

    private final URI target;
    private final int port;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<Request> seen = new CopyOnWriteArrayList<>();
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-proxy");
        t.setDaemon(true);
        return t;
    });
    private volatile ServerSocket server;
    private final java.util.Set<Socket> openConnections = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private FaultProxy(URI target, int port) {
        this.target = target;
        this.port = port;
    }

    /** Starts a proxy forwarding to {@code target} (an {@code http://host:port} URI). */
    public static FaultProxy start(URI target) {
        try {
            int port = MotoServer.freePort();
            FaultProxy proxy = new FaultProxy(target, port);
            proxy.accept();
            return proxy;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fault proxy: " + e.getMessage(), e);
        }
    }

    /** The URI clients should use as endpoint override. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    // ---- matches -------------------------------------------------------------------------------------------

    /** S3 PutObject: a PUT of an object key that is not a multipart step or a copy. */
    public static Predicate<Request> s3PutObject() {
        return r -> "PUT".equals(r.method()) && r.isS3Object() && !r.hasParam("uploadId") && !r.hasParam("partNumber")
                && r.header("x-amz-copy-source") == null;
    }

    public static Predicate<Request> s3CreateMultipartUpload() {
        return r -> "POST".equals(r.method()) && r.isS3Object() && r.hasParam("uploads");
    }

    public static Predicate<Request> s3UploadPart() {
        return r -> "PUT".equals(r.method()) && r.isS3Object() && r.hasParam("partNumber") && r.hasParam("uploadId");
    }

    public static Predicate<Request> s3CompleteMultipartUpload() {
        return r -> "POST".equals(r.method()) && r.isS3Object() && r.hasParam("uploadId");
    }

    /** A Glue call, by operation name: {@code glue("BatchCreatePartition")}. */
    public static Predicate<Request> glue(String operation) {
        return r -> ("AWSGlue." + operation).equals(r.header("x-amz-target"));
    }

    /** Any call of the Glue Schema Registry ({@link #SCHEMA_REGISTRY_OPERATIONS}). */
    public static Predicate<Request> schemaRegistry() {
        return r -> {
            String t = r.header("x-amz-target");
            return t != null && t.startsWith("AWSGlue.") && SCHEMA_REGISTRY_OPERATIONS.contains(t.substring(8));
        };
    }

    // ---- faults --------------------------------------------------------------------------------------------

    /** Answers {@code times} matching requests with an S3 XML error, e.g. 503 SlowDown, 500 InternalError. */
    public Rule s3Error(Predicate<Request> match, int times, int status, String code) {
        String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>injected "
                + code + "</Message><RequestId>fault-proxy</RequestId></Error>";
        return add(new Rule("S3 " + status + " " + code, match, Fault.RESPOND, times, status,
                Map.of("Content-Type", "application/xml", "x-amz-request-id", "fault-proxy"), body));
    }

    /** Answers {@code times} matching requests with a Glue JSON error, e.g. 400 ThrottlingException. */
    public Rule glueError(Predicate<Request> match, int times, int status, String type) {
        String body = "{\"__type\":\"" + type + "\",\"message\":\"injected " + type + "\"}";
        return add(new Rule("Glue " + status + " " + type, match, Fault.RESPOND, times, status,
                Map.of("Content-Type", "application/x-amz-json-1.1", "x-amzn-ErrorType", type,
                        "x-amzn-RequestId", "fault-proxy"), body));
    }

    /** Resets (TCP RST) {@code times} matching connections, before the request reaches the server or after. */
    public Rule reset(Predicate<Request> match, int times, boolean afterForwarding) {
        return add(new Rule("reset " + (afterForwarding ? "after" : "before") + " forwarding", match,
                afterForwarding ? Fault.RESET_AFTER_FORWARDING : Fault.RESET_BEFORE_FORWARDING, times, 0, Map.of(), ""));
    }

    private Rule add(Rule rule) {
        rules.add(rule);
        return rule;
    }

    /** Forgets every rule and every request seen. */
    public void clear() {
        rules.clear();
        seen.clear();
    }

    /** Requests seen so far (including those a rule answered), in arrival order. */
    public List<Request> seen() {
        return List.copyOf(seen);
    }

    /** How many requests seen so far match {@code match}. */
    public long count(Predicate<Request> match) {
        return seen.stream().filter(match).count();
    }

    /**
     * Stops listening: new connections are refused until {@link #accept()}, and connections already accepted but
     * not yet answered are closed, so a client cannot slip a request through one it opened before.
     */
    public synchronized void refuse() {
        ServerSocket s = server;
        server = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                log.debug("closing the listener", e);
            }
        }
        for (Socket client : openConnections) {
            try {
                client.close();
            } catch (IOException e) {
                log.debug("closing an accepted connection", e);
            }
        }
    }

    /** Listens (again) on the same port. */
    public synchronized void accept() {
        if (server != null) {
            return;
        }
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            server = s;
            workers.execute(() -> acceptLoop(s));
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on port " + port + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        refuse();
        workers.shutdownNow();
    }

    private void acceptLoop(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                if (server != s) {
                    client.close(); // refused while this connection was being accepted
                    continue;
                }
                openConnections.add(client);
                workers.execute(() -> handle(client));
            } catch (IOException e) {
                if (!s.isClosed()) {
                    log.warn("fault proxy accept failed", e);
                }
            }
        }
    }

    private void handle(Socket client) {
        try (client) {
            handleRequest(client);
        } catch (IOException e) {
            log.debug("fault proxy connection ended: {}", e.toString());
        } finally {
            openConnections.remove(client);
        }
    }

    private void handleRequest(Socket client) {
        try {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            String head = HttpWire.readHead(in);
            if (head == null) {
                return;
            }
            String[] lines = head.split("\r\n");
            String[] requestLine = lines[0].split(" ", 3);
            Map<String, String> headers = new LinkedHashMap<>();
            List<String> forwardHeaders = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                String name = lines[i].substring(0, colon).trim();
                String value = lines[i].substring(colon + 1).trim();
                headers.put(name.toLowerCase(Locale.ROOT), value);
                String lower = name.toLowerCase(Locale.ROOT);
                if (!lower.equals("expect") && !lower.equals("connection")) {
                    forwardHeaders.add(lines[i]);
                }
            }
            if ("100-continue".equalsIgnoreCase(headers.get("expect"))) {
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            byte[] body = HttpWire.readBody(in, headers);
            String uri = requestLine[1];
            int q = uri.indexOf('?');
            Request request = new Request(requestLine[0], q < 0 ? uri : uri.substring(0, q),
                    q < 0 ? "" : uri.substring(q + 1), headers);
            seen.add(request);
            Rule rule = rules.stream().filter(r -> r.take(request)).findFirst().orElse(null);
            if (rule != null) {
                log.info("fault proxy: {} on {}", rule, request.operation());
            }
            if (rule != null && rule.fault == Fault.RESET_BEFORE_FORWARDING) {
                reset(client);
                return;
            }
            if (rule != null && rule.fault == Fault.RESPOND) {
                respond(out, rule);
                return;
            }
            byte[] response = forward(requestLine, forwardHeaders, body);
            if (rule != null) {
                reset(client); // RESET_AFTER_FORWARDING: the server acted, the client never hears of it
                return;
            }
            out.write(response);
            out.flush();
            client.shutdownOutput();
        } catch (IOException e) {
            log.debug("fault proxy connection ended: {}", e.toString());
        }
    }

    private static void reset(Socket client) throws IOException {
        client.setSoLinger(true, 0);
        client.close();
    }

    private static void respond(OutputStream out, Rule rule) throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(rule.status).append(' ')
                .append(rule.status >= 500 ? "Server Error" : "Client Error").append("\r\n");
        rule.headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("Content-Length: ").append(rule.body.length).append("\r\nConnection: close\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(rule.body);
        out.flush();
    }

    /** Sends the request upstream on a connection of its own and returns the whole response, marked close. */
    private byte[] forward(String[] requestLine, List<String> headers, byte[] body) throws IOException {
        try (Socket upstream = new Socket(target.getHost(), target.getPort())) {
            StringBuilder head = new StringBuilder(String.join(" ", requestLine)).append("\r\n");
            headers.forEach(h -> head.append(h).append("\r\n"));
            head.append("Connection: close\r\n\r\n");
            OutputStream out = upstream.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            byte[] response = upstream.getInputStream().readAllBytes();
            return HttpWire.markClose(response);
        }
    }
}
