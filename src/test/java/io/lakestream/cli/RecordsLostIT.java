package io.lakestream.cli;

import io.lakestream.runtime.RunReport;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.ConfigLoader;
import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.testing.AppUnderTest;
import io.lakestream.testing.ConfigTemplates;
import io.lakestream.testing.DuckLake;
import io.lakestream.testing.EmbeddedKafkaExtension;
import io.lakestream.testing.LakestreamEnv;
import io.lakestream.testing.RawProducer;
import io.lakestream.testing.RawProducer.Raw;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records a replay needs, deleted by retention under an open window, reach the scheduler: the service consumes 300
 * claims of one open window and stops; the raw topic loses them; the next {@code run --until-caught-up} rebuilds the
 * window from nothing. Before, it exited 0 and its report said nothing while the records table had none of the 300
 * rows and the aggregates counted them all.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class RecordsLostIT {

    private static final String RAW = "lost.claims.raw";
    private static final long T0 = Instant.parse("2024-05-01T10:00:00Z").toEpochMilli();

    @TempDir
    Path tmp;

    @Test
    void shouldExitFiveAndReportTheRecordsAReplayFoundDeleted(EmbeddedKafka kafka) throws Exception {
        kafka.createTopics(1, RAW);
        List<Raw> claims = new ArrayList<>();
        for (int i = 0; i < 300; i++) { // 30 s of event time: one 100 s window, left open
            claims.add(new Raw(("A-" + i % 5).getBytes(StandardCharsets.UTF_8), ("{\"account\": {\"id\": \"A-" + i % 5
                    + "\"}, \"claimId\": \"C-" + i + "\", \"amount\": 12.50, \"currency\": \"EUR\", \"status\": "
                    + "\"OPEN\", \"claimTs\": \"" + Instant.ofEpochMilli(T0 + i * 100L) + "\"}")
                    .getBytes(StandardCharsets.UTF_8)));
        }
        RawProducer.send(kafka.bootstrapServers(), RAW, claims);
        Path config = LakestreamEnv.inFolder(kafka.bootstrapServers(), "lost-it", tmp)
                .writeClaimsConfig(ConfigTemplates.shortSession(
                        ConfigTemplates.claims(Path.of("config/claims.yaml"), RAW, "lost")), tmp);
        try (AppUnderTest app = AppUnderTest.of(ConfigLoader.load(config))) {
            // Consumed means committed: in the transactions that put the window's first offset in the sink's store.
            app.start().awaitInputConsumed(Duration.ofMinutes(1));
        }
        try (Admin admin = kafka.admin()) {
            admin.deleteRecords(Map.of(new TopicPartition(RAW, 0), RecordsToDelete.beforeOffset(300))).all()
                    .get(30, TimeUnit.SECONDS);
        }
        Path json = tmp.resolve("report.json");

        CommandOutput run = CommandOutput.run(() -> Main.execute("run", "--config", config.toString(),
                "--until-caught-up", "--timeout", "2m", "--report", json.toString()));

        RunReport report = RunReport.fromJson(Files.readString(json));
        assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(5);
        assertThat(report.outcome()).isEqualTo("records-lost");
        assertThat(report.exitCode()).isEqualTo(5);
        assertThat(report.tables()).extracting(RunReport.Table::name).containsExactly("claims", "claims_by_account");
        assertThat(report.tables().get(0).missingOnReplay()).isEqualTo(300);
        assertThat(run.out()).contains("RECORDS LOST: table claims: 300 record(s)");
        DuckLake lake = DuckLake.at(tmp.resolve("lake"));
        assertThat(Files.exists(tmp.resolve("lake/lakestream/claims"))).as("no records-table object").isFalse();
        assertThat(((Number) lake.query("SELECT sum(claim_count) AS n FROM read_parquet("
                + "'{lake}/lakestream/claims_by_account/**/*.parquet')").get(0).get("n")).longValue())
                .as("the aggregates counted them before they were deleted").isEqualTo(300);
    }
}
