package io.lakestream.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakestream.cli.Main;
import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.demo.SampleClaims.Claim;
import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.testing.DuckLake;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Maintenance on the embedded stack (a real Kafka broker, the local lake, the Iceberg JDBC catalog on SQLite), run by
 * {@link IcebergLocalIT} after its run (one pipeline run serves both): the
 * claims pipeline leaves many small files per hour; {@code inspect} shows them and what {@code maintain} would do;
 * {@code maintain} compacts the closed hour, {@code maintain --all-partitions} the last one, leaving at most 2 files
 * per hour with every claim once (Iceberg's reader, DuckDB over exactly the snapshot's files). Then another writer
 * appends and rewrites files, every snapshot lakestream wrote is expired, and a replay of the landings commits
 * nothing twice.
 */
final class IcebergMaintenanceSteps {

    private static final TableIdentifier CLAIMS = TableIdentifier.of("claims_lake", "claims");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EmbeddedKafka kafka;
    private final Path lake;

    IcebergMaintenanceSteps(EmbeddedKafka kafka, Path lake) {
        this.kafka = kafka;
        this.lake = lake;
    }

    /**
     * @param configFile the config the pipeline ran with, as a file (the commands read it)
     * @param valid      the valid claims produced, by "partition:offset"
     */
    void compactToAtMostTwoFilesPerHourAndCommitNothingTwiceAfterOtherWritersAndExpiry(Path configFile,
                                                                                      Map<String, Claim> valid)
            throws Exception {
        LakestreamConfig cfg = ConfigLoader.load(configFile);
        try (IcebergCatalogs.Opened catalog = IcebergCatalogs.local(lake)) {
            Table before = catalog.catalog().loadTable(CLAIMS);
            Map<String, Long> filesBefore = filesPerPartition(before);
            assertThat(filesBefore).as("hour partitions of the claims (10:45 to 11:10)").hasSize(2);
            assertThat(filesBefore.values()).as("many small files per hour").allMatch(n -> n > 2);
            long queryBefore = timedQuery(before, valid.size());

            String json = cli("inspect", "--config", configFile.toString(), "--table", "claims", "--json");
            // Log lines share the captured standard output: the JSON object starts on a line of its own.
            JsonNode inspected = JSON.readTree(json.substring(json.indexOf("\n{") + 1)).get("tables").get(0);
            assertThat(inspected.get("format").asText()).isEqualTo("iceberg");
            assertThat(inspected.get("data-files").get("count").asLong())
                    .isEqualTo(filesBefore.values().stream().mapToLong(Long::longValue).sum());
            assertThat(inspected.get("rows").asLong()).isEqualTo(valid.size());
            assertThat(inspected.get("next-maintenance").get("closed-partitions").asInt())
                    .as("hour 10 is closed by event time, hour 11 still open").isEqualTo(1);

            String out = cli("maintain", "--config", configFile.toString());
            assertThat(out).contains("table claims (iceberg): 1 rewrite(s)");
            Map<String, Long> afterClosed = filesPerPartition(catalog.catalog().loadTable(CLAIMS));
            assertThat(afterClosed.get("claim_ts_hour=2024-05-01-10")).isLessThanOrEqualTo(2);
            assertThat(afterClosed.get("claim_ts_hour=2024-05-01-11"))
                    .isEqualTo(filesBefore.get("claim_ts_hour=2024-05-01-11"));

            cli("maintain", "--config", configFile.toString(), "--all-partitions");
            Table after = catalog.catalog().loadTable(CLAIMS);
            assertThat(filesPerPartition(after).values()).as("data files per hour partition").allMatch(n -> n <= 2);
            IcebergClaims.verifyRecords(after, valid);
            IcebergClaims.verifyDuckDb(after, valid);
            long queryAfter = timedQuery(after, valid.size());
            System.out.printf("maintenance IT: files per partition %s -> %s; DuckDB count+sum %d ms -> %d ms%n",
                    filesBefore, filesPerPartition(after), queryBefore, queryAfter);

            List<IcebergCommitter.Landing> landings = OutsideWriter.landings(kafka.bootstrapServers(),
                    cfg.landingsTopic(), "claims");
            assertThat(landings).isNotEmpty();
            // A file of hour 11: the replay below re-announces hour 10's files, which lakestream's compaction replaced.
            Set<String> foreignRows = OutsideWriter.rewriteAppendAndExpireTheRest(after,
                    partition -> partition.endsWith("2024-05-01-11"));
            Table expired = catalog.catalog().loadTable(CLAIMS);
            assertThat(OutsideWriter.snapshots(expired)).isEqualTo(1);
            assertThat(expired.currentSnapshot().summary()).doesNotContainKey(IcebergCommitter.LANDINGS_OFFSETS);
            int snapshots = OutsideWriter.snapshots(expired);
            IcebergCommitter replay = OutsideWriter.committer(catalog, cfg, "claims_lake");
            List<IcebergCommitter.Landing> last = landings.subList(Math.max(0, landings.size() - 20), landings.size());
            assertThat(replay.commit("claims", last)).as("the last landings replayed at their offsets").isZero();
            // The hour-10 files, compacted by lakestream, announced again at later landings offsets.
            List<IcebergCommitter.Landing> again = new ArrayList<>();
            long next = landings.stream().mapToLong(IcebergCommitter.Landing::offset).max().orElseThrow() + 1;
            for (IcebergCommitter.Landing l : landings) {
                if (l.event().partition().containsValue("2024-05-01-10")) {
                    again.add(new IcebergCommitter.Landing(l.partition(), next++, l.event()));
                }
            }
            assertThat(again).isNotEmpty();
            assertThat(replay.commit("claims", again)).as("replaced files announced again").isZero();
            Table end = catalog.catalog().loadTable(CLAIMS);
            assertThat(OutsideWriter.snapshots(end)).isEqualTo(snapshots);
            assertThat(IcebergRows.rows(end)).extracting(r -> r.getField("_source_partition") + ":"
                    + r.getField("_source_offset")).doesNotHaveDuplicates().hasSize(valid.size() + foreignRows.size());
        }
    }

    private static Map<String, Long> filesPerPartition(Table table) {
        return TableStats.of(table).partitions().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().files(), (a, b) -> a,
                        java.util.TreeMap::new));
    }

    /** DuckDB count and sum over exactly the snapshot's files, best of three, in ms. */
    private static long timedQuery(Table table, int rows) {
        String list = IcebergRows.files(table).stream().map(f -> "'" + f + "'").collect(Collectors.joining(", "));
        DuckLake duck = DuckLake.at(Path.of("/"));
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            List<Map<String, Object>> r = duck.query("SELECT count(*) AS n, sum(amount) AS total, "
                    + "count(DISTINCT account_id) AS accounts FROM read_parquet([" + list + "])");
            best = Math.min(best, (System.nanoTime() - t0) / 1_000_000);
            assertThat(((Number) r.get(0).get("n")).intValue()).isEqualTo(rows);
        }
        return best;
    }

    /** Runs a command in this JVM; returns its standard output (the test fails on a non-zero exit). */
    private static synchronized String cli(String... args) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            exit = Main.execute(args);
        } finally {
            System.setOut(stdout);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        stdout.print(text);
        assertThat(exit).as(String.join(" ", args) + ": " + text).isZero();
        return text;
    }
}
