package io.lakestream.cli;

import io.lakestream.demo.SampleClaims;
import io.lakestream.runtime.PortsFactory;
import io.lakestream.runtime.RunReport;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.demo.SampleClaims.Claim;
import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.testing.ConfigTemplates;
import io.lakestream.testing.DuckLake;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a run tells at its end: the report on stdout and as JSON, the data-quality gate's exit code, and the one-line
 * failure when Kafka is not there. Local adapters, a real broker; the lake read back with DuckDB.
 */
class RunReportIT {

    private static final String RAW = "onprem.claims.raw";

    @TempDir
    Path tmp;

    @Test
    void shouldReportWhatTheRunLandedAsTheLakeHoldsIt() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(3, RAW);
            List<Claim> claims = SampleClaims.generate(600, 900, 3);
            produce(kafka, claims);
            Path config = writeConfig(kafka, "report-clean", Files.readString(Path.of("schemas/claim.avsc")));
            Path json = tmp.resolve("out/report.json");

            CommandOutput run = CommandOutput.run(() -> Main.execute("run", "--config", config.toString(), "--until-caught-up",
                    "--timeout", "2m", "--report", json.toString()));

            assertThat(run.exit()).as(run.err()).isZero();
            RunReport report = RunReport.fromJson(Files.readString(json));
            assertThat(report.outcome()).isEqualTo("caught-up");
            assertThat(report.exitCode()).isZero();
            assertThat(report.tables()).extracting(RunReport.Table::name)
                    .containsExactly("claims", "claims_by_account");
            assertThat(report.tables()).allMatch(t -> t.missingOnReplay() == 0);
            RunReport.Pipeline p = report.pipelines().get(0);
            long invalid = claims.stream().filter(c -> !c.valid()).count();
            assertThat(p.recordsIn()).isEqualTo(claims.size());
            assertThat(p.normalized()).isEqualTo(claims.size() - invalid);
            assertThat(p.deadLettered()).isEqualTo(invalid);
            assertThat(p.examples().keySet()).as("an example per class read back from the DLQ")
                    .isEqualTo(p.deadLetters().keySet());
            assertThat(p.qualityProblem()).isNull();
            LakestreamConfig cfg = ConfigLoader.load(config);
            for (RunReport.Table t : report.tables()) {
                DuckLake lake = DuckLake.download(PortsFactory.store(cfg), "lakestream/" + t.name() + "/");
                String files = "read_parquet('{lake}/lakestream/" + t.name() + "/**/*.parquet', hive_partitioning=true)";
                Map<String, Object> row = lake.query("SELECT count(*) AS n, count(DISTINCT filename) AS objects, "
                        + "count(DISTINCT (dt, hour)) AS parts FROM read_parquet('{lake}/lakestream/" + t.name()
                        + "/**/*.parquet', hive_partitioning=true, filename=true)").get(0);
                assertThat(t.rows()).as("rows of " + t.name() + " = DuckDB count of " + files)
                        .isEqualTo(((Number) row.get("n")).longValue()).isPositive();
                assertThat(t.objects()).isEqualTo(((Number) row.get("objects")).longValue());
                assertThat(t.partitions()).isEqualTo(((Number) row.get("parts")).intValue());
                assertThat(t.bytes()).isPositive();
                assertThat(t.firstEventTime()).isLessThan(t.lastEventTime());
            }
            assertThat(run.out()).contains("run of report-clean: caught-up")
                    .containsPattern("claims +" + claims.size() + " +" + (claims.size() - invalid));
        }
    }

    @Test
    void shouldExitWithTheDataQualityCodeNamingWrongTypeWhenTheSchemaDoesNotFitTheData() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(3, RAW);
            produce(kafka, SampleClaims.generate(600, 900, 4));
            // amounts are decimals like 1234.56: an int amount dead-letters nearly every claim
            String broken = Files.readString(Path.of("schemas/claim.avsc")).replace(
                    "{\"type\": \"bytes\", \"logicalType\": \"decimal\", \"precision\": 12, \"scale\": 2}", "\"int\"");
            assertThat(broken).contains("\"name\": \"amount\", \"type\": \"int\"");
            Path config = writeConfig(kafka, "report-broken", broken);
            Path json = tmp.resolve("report.json");

            CommandOutput run = CommandOutput.run(() -> Main.execute("run", "--config", config.toString(), "--until-caught-up",
                    "--timeout", "2m", "--report", json.toString()));

            assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(4);
            RunReport report = RunReport.fromJson(Files.readString(json));
            assertThat(report.exitCode()).isEqualTo(4);
            assertThat(report.outcome()).isEqualTo("data-quality");
            assertThat(report.tables()).extracting(RunReport.Table::name)
                    .containsExactly("claims", "claims_by_account");
            RunReport.Pipeline p = report.pipelines().get(0);
            assertThat(p.dominantClass()).isEqualTo("WRONG_TYPE");
            assertThat(p.qualityProblem()).contains("WRONG_TYPE").contains("pipelines[0].limits.max-dead-letter-ratio")
                    .contains("amount");
            assertThat(run.out()).contains("DATA QUALITY: pipeline claims:").contains("mostly WRONG_TYPE");
        }
    }

    @Test
    void shouldPrintTheReportWhenARunningServiceIsStoppedBySigterm() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(3, RAW);
            List<Claim> claims = SampleClaims.generate(300, 900, 5);
            produce(kafka, claims);
            Path config = writeConfig(kafka, "report-sigterm", Files.readString(Path.of("schemas/claim.avsc")));
            Path json = tmp.resolve("sigterm.json");
            Path log = tmp.resolve("sigterm.log");
            Process process = new ProcessBuilder(java("run", "--config", config.toString(), "--report",
                    json.toString())).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (!Files.readString(log).contains("Dead letter")) {
                    assertThat(System.nanoTime()).as("records read within 90 s").isLessThan(deadline);
                    Thread.sleep(200);
                }
            } finally {
                process.destroy();
            }
            assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();

            assertThat(process.exitValue()).isEqualTo(143);
            RunReport report = RunReport.fromJson(Files.readString(json));
            assertThat(report.outcome()).isEqualTo("stopped");
            assertThat(report.pipelines().get(0).recordsIn()).isPositive();
            assertThat(Files.readString(log)).contains("run of report-sigterm: stopped after");
        }
    }

    @Test
    void shouldExitThreeWithinTheTimeoutAndOneLineWhenKafkaIsNotThere() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Files.createDirectories(tmp.resolve("schemas"));
        Files.copy(Path.of("schemas/claim.avsc"), tmp.resolve("schemas/claim.avsc"));
        Path config = ConfigTemplates.render(Path.of("config/claims.yaml"),
                baseEnv("127.0.0.1:" + closed, "report-unreachable"), tmp.resolve("config/claims.yaml"));
        Path log = tmp.resolve("run.log");
        List<String> command = java("run", "--config", config.toString(), "--timeout", "10s");
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();

        assertThat(process.waitFor(15, TimeUnit.SECONDS)).as("exits within 15 s").isTrue();
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        String output = Files.readString(log);
        assertThat(process.exitValue()).as(output).isEqualTo(3);
        assertThat(seconds).isLessThan(15);
        assertThat(output).contains("Kafka unreachable at 127.0.0.1:" + closed + ": ")
                .contains("run `lakestream check --config " + config + "` to see what fails");
        assertThat(output.lines().filter(l -> l.contains("org.apache.kafka") || l.contains("WARN")))
                .as("no client warnings").isEmpty();
    }

    private static List<String> java(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    private Map<String, String> baseEnv(String bootstrap, String appId) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP", bootstrap);
        env.put("LAKESTREAM_APP_ID", appId);
        env.put("LAKESTREAM_STATE_DIR", tmp.resolve("state").toString());
        env.put("LAKE_DIR", tmp.resolve("lake").toString());
        env.put("REGISTRY_DIR", tmp.resolve("registry").toString());
        env.put("HTTP_PORT", "0");
        return env;
    }

    private Path writeConfig(EmbeddedKafka kafka, String appId, String schema) throws Exception {
        Files.createDirectories(tmp.resolve("schemas"));
        Files.writeString(tmp.resolve("schemas/claim.avsc"), schema);
        return ConfigTemplates.render(Path.of("config/claims.yaml"), baseEnv(kafka.bootstrapServers(), appId),
                tmp.resolve("config/claims.yaml"));
    }

    private static void produce(EmbeddedKafka kafka, List<Claim> claims) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer =
                     new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (Claim c : claims) {
                producer.send(new ProducerRecord<>(RAW, c.key(), c.value()));
            }
        }
    }
}
