package io.lakestream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.lakestream.cli.Main;
import io.lakestream.demo.SampleClaims;
import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.testing.ConfigTemplates;
import io.lakestream.testing.EmbeddedKafkaExtension;
import io.lakestream.testing.LakestreamEnv;
import io.lakestream.testing.LakestreamJvm;
import io.lakestream.testing.MotoExtension;
import io.lakestream.testing.MotoServer;
import io.lakestream.testing.RawProducer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard and the Prometheus alert rules of {@code deploy/monitoring/} (and the metrics the ECS metrics
 * sidecar keeps) name only metrics, and group by only labels, that a running instance exports: {@code run} of the
 * protected claims pipeline (alert rules, Glue registry and catalog on moto) as a process of its own processes sample
 * claims with dead letters, and its {@code /metrics} is scraped over HTTP once objects have landed.
 */
@ExtendWith({MotoExtension.class, EmbeddedKafkaExtension.class})
class MonitoringIT {

    private static final String NAME = "monitoring_it";
    private static final Path DASHBOARD = Path.of("deploy/monitoring/lakestream-dashboard.json");
    private static final Path RULES = Path.of("deploy/monitoring/lakestream-alerts.yaml");
    private static final Pattern METRIC = Pattern.compile("\\b(?:lakestream|kafka)_[a-z0-9_]+\\b");
    private static final Pattern GROUP_BY = Pattern.compile("\\bby \\(([^)]*)\\)");
    /** Labels Prometheus adds when it scrapes, and the histogram bucket label. */
    private static final Set<String> SCRAPE_LABELS = Set.of("job", "instance", "le");

    @TempDir
    Path tmp;

    @Test
    void shouldExportEveryMetricAndLabelTheDashboardsAlertsAndAlarmsName(EmbeddedKafka kafka, MotoServer moto)
            throws Exception {
        moto.clients().s3().createBucket(b -> b.bucket("monitoring-it"));
        kafka.createTopics(2, NAME + ".raw");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path config = config(kafka, moto, port);
        RawProducer.sendClaims(kafka.bootstrapServers(), NAME + ".raw", SampleClaims.generate(300, 600, 31));
        String scrape;
        try (LakestreamJvm run = LakestreamJvm.command("run", "--config", config.toString())
                .log(tmp.resolve("run.log")).start()) {
            scrape = scrapeOnceLanded(port, run);
        }

        List<String> missing = new ArrayList<>();
        for (String expr : expressions()) {
            Set<String> named = new TreeSet<>();
            Matcher m = METRIC.matcher(expr);
            while (m.find()) {
                named.add(m.group());
            }
            assertThat(named).as("metrics in %s", expr).isNotEmpty();
            named.stream().filter(n -> !Pattern.compile("(?m)^" + n + "[{ ]").matcher(scrape).find())
                    .forEach(n -> missing.add(n + " (in " + expr + ")"));
            Matcher by = GROUP_BY.matcher(expr);
            while (by.find()) {
                for (String label : by.group(1).split(",\\s*")) {
                    boolean exported = SCRAPE_LABELS.contains(label) || named.stream().anyMatch(n ->
                            Pattern.compile("(?m)^" + n + "\\{[^}]*\\b" + label + "=").matcher(scrape).find());
                    if (!exported) {
                        missing.add("label " + label + " of " + named + " (in " + expr + ")");
                    }
                }
            }
        }
        assertThat(missing).as("named but not exported; exported: %s", exportedNames(scrape)).isEmpty();
    }

    /** Every PromQL expression of the dashboard and the rules, and the sidecar's metric selection of the stack. */
    private static List<String> expressions() throws Exception {
        List<String> exprs = new ArrayList<>();
        for (JsonNode panel : new ObjectMapper().readTree(DASHBOARD.toFile()).path("panels")) {
            panel.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
        }
        for (JsonNode group : new ObjectMapper(new YAMLFactory()).readTree(RULES.toFile()).path("groups")) {
            group.path("rules").forEach(r -> exprs.add(r.path("expr").asText()));
        }
        assertThat(exprs).hasSizeGreaterThan(10);
        CloudFormationYaml.read(TaskRoleActions.TEMPLATE).path("Resources").properties().forEach(r -> {
            if ("AWS::CloudWatch::Alarm".equals(r.getValue().path("Type").asText())) {
                exprs.add(r.getValue().path("Properties").path("MetricName").asText());
            }
        });
        return exprs;
    }

    private static Set<String> exportedNames(String scrape) {
        Set<String> names = new TreeSet<>();
        scrape.lines().filter(l -> !l.startsWith("#")).map(l -> l.split("[{ ]", 2)[0])
                .filter(n -> n.startsWith("lakestream_") || n.startsWith("kafka_consumer_fetch"))
                .forEach(names::add);
        return names;
    }

    /**
     * /metrics once an object has landed and a dead letter was counted (the input has malformed claims), so that
     * every landing and dead-letter metric has a series, within two minutes.
     */
    private String scrapeOnceLanded(int port, LakestreamJvm run) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Pattern landed = Pattern.compile("(?m)^lakestream_objects_written_total\\{[^}]*} [1-9]");
        Pattern deadLetter = Pattern.compile("(?m)^lakestream_dlq_records_total\\{[^}]*} [1-9]");
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(run.isAlive()).as("run is up; its log:%n%s", run.output()).isTrue();
            try {
                String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .build(), HttpResponse.BodyHandlers.ofString()).body();
                if (landed.matcher(body).find() && deadLetter.matcher(body).find()) {
                    return body;
                }
            } catch (java.io.IOException notListeningYet) {
                // the HTTP endpoint starts after the topology
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("no landing and dead letter within 2 minutes; run log:\n" + run.output());
    }

    private Path config(EmbeddedKafka kafka, MotoServer moto, int port) throws Exception {
        return LakestreamEnv.of(kafka.bootstrapServers(), NAME, tmp.resolve("state")).aws(moto, "monitoring-it")
                .with("CLAIMS_HASH_SECRET", "hex:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
                .with("GLUE_DATABASE", NAME).with("HTTP_PORT", String.valueOf(port))
                .writeClaimsConfig(ConfigTemplates.claims(Path.of("config/claims-protected.yaml"), NAME + ".raw", NAME),
                        tmp);
    }
}
