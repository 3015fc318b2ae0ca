package io.lakestream.sink;

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
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Partition values that cannot be a folder name, and too many of them: {@code partition-by: [dt, hour,
 * {field: currency}]} on a real broker, the lake read back with DuckDB. A 300-character value used to stop the
 * partition for good ({@code File name too long} on every restart, 51 of 1,200 rows landed); 2,000 distinct values
 * in one window made 2,000 folders and catalog partitions without a word.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class PartitionValuesIT {

    private static final long T0 = Instant.parse("2024-05-01T10:00:00Z").toEpochMilli();
    private static final String LONG = "X".repeat(300);

    @TempDir
    Path tmp;

    @Test
    void shouldLandA300CharacterPartitionValueUnderAPrefixAndHashFolderAndEveryOtherRow(EmbeddedKafka kafka)
            throws Exception {
        Path lakeDir = run(kafka, "longvalue", "", 1_200, i -> i == 51 ? LONG : i % 2 == 0 ? "EUR" : "USD");

        DuckLake lake = DuckLake.at(lakeDir);
        List<Map<String, Object>> rows = lake.query("SELECT count(*) AS n, count(DISTINCT _source_offset) AS o FROM "
                + "read_parquet('{lake}/lakestream/claims/**/*.parquet', hive_partitioning=false)");
        assertThat(((Number) rows.get(0).get("n")).longValue()).as("rows").isEqualTo(1_200);
        assertThat(((Number) rows.get(0).get("o")).longValue()).as("distinct offsets").isEqualTo(1_200);
        List<Map<String, Object>> longRow = lake.query("SELECT currency, filename FROM read_parquet("
                + "'{lake}/lakestream/claims/**/*.parquet', hive_partitioning=false, filename=true) "
                + "WHERE length(currency) = 300");
        assertThat(longRow).hasSize(1);
        String folder = Path.of((String) longRow.get(0).get("filename")).getParent().getFileName().toString();
        assertThat(folder).as("the folder of the long value").startsWith("currency=XXXX").matches(
                "currency=X{64}~[0-9a-f]{16}");
        try (Stream<Path> files = Files.walk(lakeDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).allMatch(n -> n.length() <= 128);
        }
    }

    @Test
    void shouldSendValuesBeyondTheBoundPerWindowToTheOverflowPartitionWithAWarningAndAMetric(EmbeddedKafka kafka)
            throws Exception {
        Path lakeDir = run(kafka, "cardinality", "max-partition-values: 50, ", 600, i -> "V" + i);

        DuckLake lake = DuckLake.at(lakeDir);
        List<Map<String, Object>> perWindow = lake.query("SELECT count(DISTINCT regexp_extract(filename, "
                + "'currency=([^/]*)/', 1)) AS folders, count(*) AS n, count(DISTINCT _source_offset) AS o, "
                + "sum(CASE WHEN filename LIKE '%currency=__LAKESTREAM_OVERFLOW__/%' THEN 1 ELSE 0 END) AS overflow "
                + "FROM read_parquet('{lake}/lakestream/claims/**/*.parquet', hive_partitioning=false, filename=true)"
                + " GROUP BY floor(epoch_ms(claim_ts) / 100000)");
        assertThat(perWindow).as("windows of 100 s over 300 s of claims").hasSizeGreaterThanOrEqualTo(3);
        long rows = 0;
        long overflow = 0;
        for (Map<String, Object> w : perWindow) {
            assertThat(((Number) w.get("folders")).longValue()).as("folders per window").isLessThanOrEqualTo(51);
            rows += ((Number) w.get("n")).longValue();
            overflow += ((Number) w.get("overflow")).longValue();
        }
        assertThat(rows).as("every row landed").isEqualTo(600);
        assertThat(overflow).as("rows beyond the 50 first values of their window").isPositive()
                .isEqualTo((long) metric.get("lakestream.partition.overflow.records").tag("table", "claims").counter().count());
        List<Map<String, Object>> values = lake.query("SELECT count(DISTINCT currency) AS c FROM read_parquet("
                + "'{lake}/lakestream/claims/**/*.parquet', hive_partitioning=false)");
        assertThat(((Number) values.get(0).get("c")).longValue()).as("the files keep each row's value").isEqualTo(600);
    }

    private PrometheusMeterRegistry metric;

    /** Runs {@code n} claims 0.5 s apart in event time (currency by index) until caught up; returns the lake dir. */
    private Path run(EmbeddedKafka kafka, String name, String landingExtra, int n, IntFunction<String> currency)
            throws Exception {
        String raw = name + ".claims.raw";
        kafka.createTopics(1, raw);
        List<Raw> claims = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            claims.add(new Raw(("A-" + i % 7).getBytes(StandardCharsets.UTF_8), ("{\"account\": {\"id\": \"A-" + i % 7
                    + "\"}, \"claimId\": \"C-" + i + "\", \"amount\": 12.50, \"currency\": \"" + currency.apply(i)
                    + "\", \"status\": \"OPEN\", \"claimTs\": \"" + Instant.ofEpochMilli(T0 + i * 500L) + "\"}")
                    .getBytes(StandardCharsets.UTF_8)));
        }
        RawProducer.send(kafka.bootstrapServers(), raw, claims);
        Path dir = tmp.resolve(name);
        LakestreamConfig cfg = LakestreamEnv.inFolder(kafka.bootstrapServers(), name, dir).parse(
                ConfigTemplates.claims(Path.of("config/claims.yaml"), raw, name).replace("partition-by: [dt, hour] }",
                        landingExtra + "partition-by: [dt, hour, {field: currency}] }"), Path.of("config"));
        metric = AppUnderTest.runUntilCaughtUp(cfg, Duration.ofMinutes(2)).metrics();
        return dir.resolve("lake");
    }
}
