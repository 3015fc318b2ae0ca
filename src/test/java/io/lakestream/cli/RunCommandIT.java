package io.lakestream.cli;

import io.lakestream.demo.SampleClaims;
import io.lakestream.runtime.LakestreamApp;
import io.lakestream.runtime.PortsFactory;
import io.lakestream.runtime.Schemas;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.demo.SampleClaims.Claim;
import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.testing.ConfigTemplates;
import io.lakestream.testing.DuckLake;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code run} command as an operator meets it: a scheduled run until caught up, its timeout, SIGTERM of a
 * running process and a restart, and the HTTP endpoints. Local adapters, a real broker.
 */
class RunCommandIT {

    private static final String RAW = "onprem.claims.raw";

    @TempDir
    Path tmp;

    private EmbeddedKafka kafka;

    @BeforeEach
    void startBroker() {
        kafka = EmbeddedKafka.start();
        kafka.createTopics(3, RAW);
    }

    @AfterEach
    void stopBroker() {
        kafka.close();
    }

    @Test
    void shouldExitZeroOnceEveryRecordIsLandedWhenRunUntilCaughtUp() throws Exception {
        List<Claim> claims = SampleClaims.generate(600, 900, 3);
        Map<String, Claim> produced = produce(claims);
        Path config = writeConfig("run-once");

        int exit = Main.execute("run", "--config", config.toString(), "--until-caught-up", "--timeout", "2m");

        assertThat(exit).isZero();
        assertLandedExactlyOnce(config, produced);
    }

    @Test
    void shouldExitThreeWithWhatIsPendingWhenTheTimeoutPasses() throws Exception {
        produce(SampleClaims.generate(200, 300, 4));
        Path config = writeConfig("run-timeout");

        int exit = Main.execute("run", "--config", config.toString(), "--until-caught-up", "--timeout", "1ms");

        assertThat(exit).isEqualTo(3);
    }

    @Test
    void shouldResumeWithoutLossOrDuplicatesAfterSigtermOfARunningProcess() throws Exception {
        Path config = writeConfig("sigterm");
        List<Claim> claims = SampleClaims.generate(1500, 1500, 5);
        Map<String, Claim> produced = produce(claims.subList(0, 700));
        Process first = runProcess(config, "run", "--config", config.toString());
        // Let it land some windows and buffer others, then SIGTERM it mid-stream.
        waitForObjects(config, 3, Duration.ofSeconds(60));
        produced.putAll(produce(claims.subList(700, claims.size())));
        first.destroy();
        assertThat(first.waitFor(90, TimeUnit.SECONDS)).as("stops after SIGTERM").isTrue();
        assertThat(first.exitValue()).as("exit code after SIGTERM").isEqualTo(143);

        Process second = runProcess(config, "run", "--config", config.toString(), "--until-caught-up",
                "--timeout", "2m");
        assertThat(second.waitFor(150, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue()).isZero();
        assertLandedExactlyOnce(config, produced);
    }

    @Test
    void shouldServeHealthAndMetricsWhoseCountersMove() throws Exception {
        Path configFile = writeConfig("metrics");
        LakestreamConfig cfg = ConfigLoader.load(configFile);
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (LakestreamApp app = new LakestreamApp(cfg, Schemas.load(cfg), PortsFactory.create(cfg, metrics),
                metrics)) {
            app.start();
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + app.httpPort();
            assertThat(get(http, base + "/health/live").statusCode()).isEqualTo(200);
            Instant deadline = Instant.now().plusSeconds(60);
            while (get(http, base + "/health/ready").statusCode() != 200) {
                assertThat(Instant.now()).as("ready within 60 s").isBefore(deadline);
                Thread.sleep(200);
            }
            double before = counter(get(http, base + "/metrics").body(), "lakestream_records_in_total");

            List<Claim> claims = SampleClaims.generate(300, 600, 6);
            produce(claims);
            app.awaitCaughtUp(Duration.ofMinutes(2));

            String scrape = get(http, base + "/metrics").body();
            assertThat(counter(scrape, "lakestream_records_in_total") - before).isEqualTo(claims.size());
            assertThat(counter(scrape, "lakestream_dlq_records_total"))
                    .isEqualTo(claims.stream().filter(c -> !c.valid()).count());
            assertThat(counter(scrape, "lakestream_objects_written_total")).isPositive();
            assertThat(counter(scrape, "lakestream_windows_flushed_total")).isPositive();
            assertThat(scrape).contains("lakestream_flush_latency_seconds_bucket")
                    .contains("kafka_stream_thread_process_total");
        }
    }

    private static HttpResponse<String> get(HttpClient http, String uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sum of every sample of a counter in a Prometheus scrape. */
    private static double counter(String scrape, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*})? ([0-9.eE+-]+)$").matcher(scrape);
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(2));
        }
        return total;
    }

    /** A self-contained config (no environment variables): local store, registry and catalog under tmp. */
    private Path writeConfig(String appId) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        env.put("LAKESTREAM_APP_ID", appId);
        env.put("LAKESTREAM_STATE_DIR", tmp.resolve("state").toString());
        env.put("LAKE_DIR", tmp.resolve("lake").toString());
        env.put("REGISTRY_DIR", tmp.resolve("registry").toString());
        env.put("HTTP_PORT", "0");
        // config/ and schemas/ side by side, as in the repository, so the relative schema path holds
        Files.createDirectories(tmp.resolve("schemas"));
        Files.copy(Path.of("schemas/claim.avsc"), tmp.resolve("schemas/claim.avsc"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return ConfigTemplates.render(Path.of("config/claims.yaml"), env, tmp.resolve("config/claims.yaml"));
    }

    private Process runProcess(Path config, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("process-" + System.nanoTime() + ".log").toFile()).start();
    }

    private void waitForObjects(Path config, int count, Duration timeout) throws Exception {
        LakestreamConfig cfg = ConfigLoader.load(config);
        Instant deadline = Instant.now().plus(timeout);
        while (PortsFactory.store(cfg).list("lakestream/claims/").size() < count) {
            assertThat(Instant.now()).as("objects landing").isBefore(deadline);
            Thread.sleep(200);
        }
    }

    private Map<String, Claim> produce(List<Claim> claims) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        Map<String, Claim> produced = new HashMap<>();
        try (KafkaProducer<String, byte[]> producer =
                     new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
            for (Claim c : claims) {
                sent.add(producer.send(new ProducerRecord<>(RAW, c.key(), c.value())));
            }
            for (int i = 0; i < claims.size(); i++) {
                RecordMetadata m = sent.get(i).get();
                produced.put(m.partition() + ":" + m.offset(), claims.get(i));
            }
        }
        return produced;
    }

    private static void assertLandedExactlyOnce(Path config, Map<String, Claim> produced) {
        LakestreamConfig cfg = ConfigLoader.load(config);
        DuckLake lake = DuckLake.download(PortsFactory.store(cfg), "lakestream/claims/");
        List<String> offsets = lake.query("SELECT _source_partition AS p, _source_offset AS o FROM read_parquet("
                + "'{lake}/lakestream/claims/**/*.parquet', hive_partitioning=true)").stream()
                .map(r -> r.get("p") + ":" + r.get("o")).toList();
        assertThat(offsets).as("each source offset once").doesNotHaveDuplicates();
        assertThat(new HashSet<>(offsets)).as("every valid claim").isEqualTo(new HashSet<>(produced.entrySet()
                .stream().filter(e -> e.getValue().valid()).map(Map.Entry::getKey).toList()));
    }
}
