package io.lakestream.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.runtime.LakestreamApp;
import io.lakestream.runtime.PortsFactory;
import io.lakestream.runtime.Schemas;
import io.lakestream.testing.AppUnderTest;
import io.lakestream.testing.ConfigTemplates;
import io.lakestream.testing.DuckLake;
import io.lakestream.testing.EmbeddedKafkaExtension;
import io.lakestream.testing.LakestreamEnv;
import io.lakestream.testing.RawProducer;
import io.lakestream.testing.RawProducer.Raw;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application reads only what it wrote. The topics a pipeline names ({@code <pipeline>.normalized},
 * {@code <pipeline>.<aggregation>}) outlive an application id: a redeploy under a new id over the same raw topic,
 * and another application whose pipeline has the same name over another raw topic, must each aggregate exactly
 * their own input. Each lake is read back with DuckDB. Before the owner stamp, the redeploy counted both runs'
 * records (every (account, window) twice) and the third application all three runs'.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class ApplicationScopeIT {

    private static final long T0 = Instant.parse("2024-05-01T10:00:00Z").toEpochMilli();

    @TempDir
    Path tmp;

    @Test
    void shouldAggregateOnlyItsOwnRecordsUnderANewApplicationIdAndBesideAnotherApplicationOfTheSamePipelineName(
            EmbeddedKafka kafka) throws Exception {
        kafka.createTopics(3, "scope.a.raw", "scope.b.raw");
        RawProducer.send(kafka.bootstrapServers(), "scope.a.raw", claims(2_000));
        RawProducer.send(kafka.bootstrapServers(), "scope.b.raw", claims(500));

        assertThat(run(kafka, "scope-first", "scope.a.raw")).as("first application").isEqualTo(new Landed(2_000, 2_000));
        assertThat(run(kafka, "scope-redeploy", "scope.a.raw")).as("same config under a new application id")
                .isEqualTo(new Landed(2_000, 2_000));
        assertThat(run(kafka, "scope-other", "scope.b.raw")).as("another application, same pipeline name")
                .isEqualTo(new Landed(500, 500));
    }

    /** Rows of the records table and the sum of claim_count over the aggregates table, as DuckDB reads them. */
    record Landed(long rows, long claimCount) {
    }

    private Landed run(EmbeddedKafka kafka, String appId, String raw) throws Exception {
        Path dir = tmp.resolve(appId);
        AppUnderTest.runUntilCaughtUp(LakestreamEnv.of(kafka.bootstrapServers(), appId, dir.resolve("state"))
                .local(dir.resolve("lake"), tmp.resolve("registry"))
                .parse(ConfigTemplates.claims(Path.of("config/claims.yaml"), raw, "scope"), Path.of("config")),
                Duration.ofMinutes(2));
        DuckLake lake = DuckLake.at(dir.resolve("lake"));
        long rows = ((Number) lake.query("SELECT count(*) AS n FROM read_parquet("
                + "'{lake}/lakestream/claims/**/*.parquet')").get(0).get("n")).longValue();
        long count = ((Number) lake.query("SELECT sum(claim_count) AS n FROM read_parquet("
                + "'{lake}/lakestream/claims_by_account/**/*.parquet')").get(0).get("n")).longValue();
        return new Landed(rows, count);
    }

    /** Valid claims in event-time order, 0.5 s apart, over 40 accounts. */
    private static List<Raw> claims(int n) {
        List<Raw> raw = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String account = "A-" + (i % 40);
            raw.add(new Raw(account.getBytes(StandardCharsets.UTF_8), ("{\"account\": {\"id\": \"" + account
                    + "\"}, \"claimId\": \"C-" + i + "\", \"amount\": 12.50, \"currency\": \"EUR\", \"status\": "
                    + "\"OPEN\", \"claimTs\": \"" + Instant.ofEpochMilli(T0 + i * 500L) + "\"}")
                    .getBytes(StandardCharsets.UTF_8)));
        }
        return raw;
    }
}
