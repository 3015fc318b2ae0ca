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
import io.lakestream.testing.AppUnderTest;
import io.lakestream.testing.ConfigTemplates;
import io.lakestream.testing.DuckLake;
import io.lakestream.testing.EmbeddedKafkaExtension;
import io.lakestream.testing.LakestreamEnv;
import io.lakestream.testing.LakestreamJvm;
import io.lakestream.testing.RawProducer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code run} command as an operator meets it: a scheduled run until caught up, its timeout, SIGTERM of a
 * running process and a restart, and the HTTP endpoints. Local adapters, a real broker.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class RunCommandIT {

    @TempDir
    Path tmp;

    private EmbeddedKafka kafka;
    private String raw;

    @BeforeEach
    void useBroker(EmbeddedKafka broker) {
        kafka = broker;
    }

    @Test
    void shouldExitZeroOnceEveryRecordIsLandedWhenRunUntilCaughtUp() throws Exception {
        List<Claim> claims = SampleClaims.generate(600, 900, 3);
        Path config = writeConfig("run-once");
        Map<String, Claim> produced = produce(claims);

        int exit = Main.execute("run", "--config", config.toString(), "--until-caught-up", "--timeout", "10m");

        assertThat(exit).isZero();
        assertLandedExactlyOnce(config, produced);
    }

    @Test
    void shouldExitThreeWithWhatIsPendingWhenTheTimeoutPasses() throws Exception {
        Path config = writeConfig("run-timeout");
        produce(SampleClaims.generate(200, 300, 4));

        int exit = Main.execute("run", "--config", config.toString(), "--until-caught-up", "--timeout", "1ms");

        assertThat(exit).isEqualTo(3);
    }

    @Test
    void shouldResumeWithoutLossOrDuplicatesAfterSigtermOfARunningProcess() throws Exception {
        Path config = writeConfig("sigterm");
        List<Claim> claims = SampleClaims.generate(1500, 1500, 5);
        Map<String, Claim> produced = produce(claims.subList(0, 700));
        try (LakestreamJvm first = LakestreamJvm.command("run", "--config", config.toString())
                .log(tmp.resolve("first.log")).start()) {
            // Let it land some windows and buffer others, then SIGTERM it mid-stream.
            waitForObjects(config, 3, Duration.ofMinutes(5));
            produced.putAll(produce(claims.subList(700, claims.size())));
            assertThat(first.stop()).as("exit code after SIGTERM").isEqualTo(143);
        }

        LakestreamJvm.Result second = LakestreamJvm.command("run", "--config", config.toString(),
                "--until-caught-up", "--timeout", "10m").log(tmp.resolve("second.log")).run(Duration.ofMinutes(11));
        assertThat(second.exit()).as(second.output()).isZero();
        assertLandedExactlyOnce(config, produced);
    }

    @Test
    void shouldServeHealthAndMetricsWhoseCountersMove() throws Exception {
        Path configFile = writeConfig("metrics");
        try (AppUnderTest run = AppUnderTest.of(ConfigLoader.load(configFile))) {
            LakestreamApp app = run.start();
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

    /**
     * A self-contained config (no environment variables): local store, registry and catalog under tmp; a short
     * session, so that a restart gets the partitions at once.
     */
    private Path writeConfig(String appId) throws IOException {
        String pipeline = appId.replace('-', '_');
        raw = pipeline + ".raw";
        kafka.createTopics(3, raw);
        return LakestreamEnv.inFolder(kafka.bootstrapServers(), appId, tmp)
                .writeClaimsConfig(ConfigTemplates.shortSession(ConfigTemplates.claims(Path.of("config/claims.yaml"),
                        raw, pipeline)), tmp);
    }

    private void waitForObjects(Path config, int count, Duration timeout) throws Exception {
        LakestreamConfig cfg = ConfigLoader.load(config);
        Instant deadline = Instant.now().plus(timeout);
        while (PortsFactory.store(cfg).list("lakestream/claims/").size() < count) {
            assertThat(Instant.now()).as("objects landing").isBefore(deadline);
            Thread.sleep(200);
        }
    }

    private Map<String, Claim> produce(List<Claim> claims) {
        return RawProducer.sendClaims(kafka.bootstrapServers(), raw, claims);
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
