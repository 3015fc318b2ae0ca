package io.lakestream.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakestream.cli.Main;
import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.demo.SampleClaims.Claim;
import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.sink.LandingEvent;
import io.lakestream.testing.DuckLake;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

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

            List<IcebergCommitter.Landing> landings = landings(cfg);
            outsideWriterAppendsRewritesAndExpiresEverySnapshotOfLakestream(after);
            Table expired = catalog.catalog().loadTable(CLAIMS);
            int snapshots = count(expired);
            IcebergCommitter replay = new IcebergCommitter(catalog.catalog(), catalog.io(), "claims_lake",
                    cfg.tableFormats(), t -> IcebergCommitStage.tableLocation(cfg, t), cfg.landingsTopic(),
                    IcebergFixtures.health(), attempt -> { });
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
            assertThat(count(end)).isEqualTo(snapshots);
            Map<String, Claim> withForeign = new HashMap<>(valid);
            withForeign.putAll(foreignRows);
            assertThat(IcebergRows.rows(end)).extracting(r -> r.getField("_source_partition") + ":"
                    + r.getField("_source_offset")).doesNotHaveDuplicates().hasSize(valid.size() + foreignRows.size());
        }
    }

    private final Map<String, Claim> foreignRows = new HashMap<>();

    /**
     * Another writer (the Iceberg API, as Spark would): appends a file of its own, rewrites one of the table's files
     * into a copy, then expires every snapshot but its own last one.
     */
    private void outsideWriterAppendsRewritesAndExpiresEverySnapshotOfLakestream(Table table) throws Exception {
        List<DataFile> current = new ArrayList<>();
        try (var tasks = table.newScan().planFiles()) {
            for (FileScanTask t : tasks) {
                current.add(t.file());
            }
        }
        // A file of hour 11: the replay below re-announces hour 10's files, which lakestream's compaction replaced.
        DataFile victim = current.stream().filter(f -> table.spec().partitionToPath(f.partition())
                .endsWith("2024-05-01-11")).findFirst().orElseThrow();
        List<Record> rows = new ArrayList<>();
        try (var read = IcebergRows.read(table, victim.location())) {
            read.forEach(r -> rows.add(r.copy()));
        }
        DataFile copy = write(table, victim, rows, "foreign-rewrite.parquet");
        table.newRewrite().deleteFile(victim).addFile(copy).commit();
        Record extra = GenericRecord.create(table.schema());
        rows.get(0).struct().fields().forEach(f -> extra.setField(f.name(), rows.get(0).getField(f.name())));
        extra.setField("_source_partition", 99);
        extra.setField("_source_offset", 1L);
        foreignRows.put("99:1", null);
        table.newAppend().appendFile(write(table, victim, List.of(extra), "foreign-append.parquet")).commit();
        table.expireSnapshots().expireOlderThan(System.currentTimeMillis() + 1).retainLast(1).commit();
        table.refresh();
        assertThat(count(table)).isEqualTo(1);
        assertThat(table.currentSnapshot().summary()).doesNotContainKey(IcebergCommitter.LANDINGS_OFFSETS);
    }

    private static DataFile write(Table table, DataFile like, List<Record> rows, String name) throws Exception {
        DataWriter<Record> w = Parquet.writeData(table.io().newOutputFile(table.locationProvider()
                        .newDataLocation(table.spec(), like.partition(), name)))
                .schema(table.schema()).withSpec(table.spec()).withPartition(like.partition())
                .createWriterFunc(t -> GenericParquetWriter.create(table.schema(), t)).overwrite().build();
        try (w) {
            rows.forEach(w::write);
        }
        return w.toDataFile();
    }

    private static int count(Table table) {
        int n = 0;
        for (var ignored : table.snapshots()) {
            n++;
        }
        return n;
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

    /** The landings topic's events of the claims table, as the committer reads them (read_committed). */
    private List<IcebergCommitter.Landing> landings(LakestreamConfig cfg) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<IcebergCommitter.Landing> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(cfg.landingsTopic()).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.currentTimeMillis() + 30_000;
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    if ("claims".equals(r.key())) {
                        out.add(new IcebergCommitter.Landing(r.partition(), r.offset(), LandingEvent.fromJson(r.value())));
                    }
                }
            }
        }
        assertThat(out).isNotEmpty();
        return out;
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
