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
import io.lakestream.testing.EmbeddedKafkaExtension;
import io.lakestream.testing.LakestreamEnv;
import io.lakestream.testing.LakestreamJvm;
import io.lakestream.testing.RawProducer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a run tells at its end: the report on stdout and as JSON, the data-quality gate's exit code, and the one-line
 * failure when Kafka is not there. Local adapters, a real broker; the lake read back with DuckDB.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class RunReportIT {

    @TempDir
    Path tmp;

    @Test
    void shouldReportWhatTheRunLandedAsTheLakeHoldsIt(EmbeddedKafka kafka) throws Exception {
        List<Claim> claims = SampleClaims.generate(600, 900, 3);
        Path config = writeConfig(kafka, "report_clean", claims, Files.readString(Path.of("schemas/claim.avsc")));
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
        assertThat(run.out()).contains("run of report_clean: caught-up")
                .containsPattern("report_clean +" + claims.size() + " +" + (claims.size() - invalid));
    }

    @Test
    void shouldExitWithTheDataQualityCodeNamingWrongTypeWhenTheSchemaDoesNotFitTheData(EmbeddedKafka kafka)
            throws Exception {
        // amounts are decimals like 1234.56: an int amount dead-letters nearly every claim
        String broken = Files.readString(Path.of("schemas/claim.avsc")).replace(
                "{\"type\": \"bytes\", \"logicalType\": \"decimal\", \"precision\": 12, \"scale\": 2}", "\"int\"");
        assertThat(broken).contains("\"name\": \"amount\", \"type\": \"int\"");
        Path config = writeConfig(kafka, "report_broken", SampleClaims.generate(600, 900, 4), broken);
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
        assertThat(run.out()).contains("DATA QUALITY: pipeline report_broken:").contains("mostly WRONG_TYPE");
    }

    @Test
    void shouldPrintTheReportWhenARunningServiceIsStoppedBySigterm(EmbeddedKafka kafka) throws Exception {
        Path config = writeConfig(kafka, "report_sigterm", SampleClaims.generate(300, 900, 5),
                Files.readString(Path.of("schemas/claim.avsc")));
        Path json = tmp.resolve("sigterm.json");
        try (LakestreamJvm run = LakestreamJvm.command("run", "--config", config.toString(), "--report",
                json.toString()).log(tmp.resolve("sigterm.log")).start()) {
            run.awaitOutput("Dead letter", Duration.ofSeconds(90));

            assertThat(run.stop()).isEqualTo(143);
            RunReport report = RunReport.fromJson(Files.readString(json));
            assertThat(report.outcome()).isEqualTo("stopped");
            assertThat(report.pipelines().get(0).recordsIn()).isPositive();
            assertThat(run.output()).contains("run of report_sigterm: stopped after");
        }
    }

    @Test
    void shouldExitThreeWithinTheTimeoutAndOneLineWhenKafkaIsNotThere() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Path config = LakestreamEnv.inFolder("127.0.0.1:" + closed, "report-unreachable", tmp)
                .writeClaimsConfig(Files.readString(Path.of("config/claims.yaml")), tmp);
        long start = System.nanoTime();
        LakestreamJvm.Result run = LakestreamJvm.command("run", "--config", config.toString(), "--timeout", "10s")
                .log(tmp.resolve("run.log")).run(Duration.ofSeconds(15));

        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        String output = run.output();
        assertThat(run.exit()).as(output).isEqualTo(3);
        assertThat(seconds).isLessThan(15);
        assertThat(output).contains("Kafka unreachable at 127.0.0.1:" + closed + ": ")
                .contains("run `lakestream check --config " + config + "` to see what fails");
        assertThat(output.lines().filter(l -> l.contains("org.apache.kafka") || l.contains("WARN")))
                .as("no client warnings").isEmpty();
    }

    /** The claims config under a pipeline of its own (raw topic {@code <pipeline>.raw}, holding {@code claims}). */
    private Path writeConfig(EmbeddedKafka kafka, String pipeline, List<Claim> claims, String schema)
            throws Exception {
        String raw = pipeline + ".raw";
        kafka.createTopics(3, raw);
        RawProducer.sendClaims(kafka.bootstrapServers(), raw, claims);
        Path config = LakestreamEnv.inFolder(kafka.bootstrapServers(), pipeline, tmp)
                .writeClaimsConfig(ConfigTemplates.claims(Path.of("config/claims.yaml"), raw, pipeline), tmp);
        Files.writeString(tmp.resolve("schemas/claim.avsc"), schema);
        return config;
    }
}
