package io.lakestream.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.demo.SampleClaims.Claim;
import io.lakestream.demo.SampleClaims.Kind;
import io.lakestream.demo.SampleClaims;
import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.runtime.LakestreamApp;
import io.lakestream.runtime.PortsFactory;
import io.lakestream.runtime.Schemas;
import io.lakestream.testing.AppUnderTest;
import io.lakestream.testing.ConfigTemplates;
import io.lakestream.testing.EmbeddedKafkaExtension;
import io.lakestream.testing.LakestreamEnv;
import io.lakestream.testing.RawProducer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The claims pipeline with {@code lake.table-format: iceberg} on the embedded stack: a real Kafka broker, the local
 * lake folder and the Iceberg JDBC catalog on SQLite. The tables are read back with Iceberg's generic reader and with
 * DuckDB over exactly the Parquet files the current snapshot lists; the SQLite file is checked to be the standard
 * JDBC-catalog layout. Then the same tables are maintained ({@link IcebergMaintenanceSteps}).
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class IcebergLocalIT {

    private static final String RAW = "iceberg_local.claims.raw";
    private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(2);

    @TempDir
    Path tmp;
    private EmbeddedKafka kafka;
    private AppUnderTest app;

    @BeforeEach
    void useBroker(EmbeddedKafka broker) {
        kafka = broker;
        kafka.createTopics(3, RAW);
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void shouldCommitEveryValidClaimOnceToIcebergTablesReadableByIcebergAndDuckDb() throws Exception {
        Path configFile = config();
        app = AppUnderTest.of(ConfigLoader.load(configFile));
        long started = System.currentTimeMillis();
        LakestreamApp running = app.start();
        List<Claim> claims = SampleClaims.generate(900, 1500, 5);
        Map<String, Claim> produced = RawProducer.sendClaims(kafka.bootstrapServers(), RAW, claims.stream()
                .filter(c -> c.kind() != Kind.LATE).toList());
        running.awaitInputConsumed(Duration.ofMinutes(2));
        produced.putAll(RawProducer.sendClaims(kafka.bootstrapServers(), RAW, claims.stream()
                .filter(c -> c.kind() == Kind.LATE).toList()));
        running.awaitCaughtUp(Duration.ofMinutes(2));
        Map<String, Claim> valid = produced.entrySet().stream().filter(e -> e.getValue().valid())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        long onTime = valid.values().stream().filter(c -> c.kind() != Kind.LATE).count();

        try (IcebergCatalogs.Opened catalog = IcebergCatalogs.local(tmp.resolve("lake"))) {
            // No waiting: a run that ends caught up has had every landed file committed.
            Table claimsTable = IcebergClaims.committed(catalog.catalog(), TableIdentifier.of("claims_lake", "claims"),
                    valid.size());
            long elapsed = System.currentTimeMillis() - started;
            IcebergClaims.verifyRecords(claimsTable, valid);
            IcebergClaims.verifyDuckDb(claimsTable, valid);
            assertThat(claimsTable.spec().fields()).extracting(f -> f.name() + "=" + f.transform())
                    .containsExactly("claim_ts_hour=hour");
            assertThat(claimsTable.currentSnapshot().summary()).containsKey(IcebergCommitter.LANDINGS_OFFSETS);
            List<Snapshot> snapshots = new ArrayList<>();
            claimsTable.snapshots().forEach(snapshots::add);
            assertThat(snapshots.size()).as("at most one commit per table per commit interval (%d ms run)", elapsed)
                    .isLessThanOrEqualTo((int) (elapsed / COMMIT_INTERVAL.toMillis()) + 1);
            for (int i = 1; i < snapshots.size(); i++) {
                // A snapshot's time is taken just before its commit returns; the next commit starts an interval later.
                assertThat(snapshots.get(i).timestampMillis() - snapshots.get(i - 1).timestampMillis())
                        .as("gap between snapshots %d and %d", i - 1, i)
                        .isGreaterThanOrEqualTo(COMMIT_INTERVAL.toMillis() - 250);
            }

            Table aggregates = IcebergClaims.committed(catalog.catalog(),
                    TableIdentifier.of("claims_lake", "claims_by_account"), -1);
            assertThat(aggregates.spec().fields()).extracting(f -> f.name() + "=" + f.transform())
                    .containsExactly("window_start_hour=hour");
            long counted = IcebergRows.rows(aggregates).stream()
                    .mapToLong(r -> ((Number) r.getField("claim_count")).longValue()).sum();
            assertThat(counted).as("every on-time claim counted once in the aggregates table").isEqualTo(onTime);
            verifyFilesDescribedByTheirLandingEvents(claimsTable, aggregates, app.config().landingsTopic());
        }
        Path table = tmp.resolve("lake/lakestream/claims");
        try (var files = java.nio.file.Files.walk(table)) {
            assertThat(files.filter(java.nio.file.Files::isRegularFile).map(f -> table.relativize(f).toString()))
                    .as("data files in the table's data folder, one folder per hour partition").isNotEmpty()
                    .allMatch(k -> k.startsWith("data/claim_ts_hour=2024-05-01-1") || k.startsWith("metadata/"));
        }
        verifySqliteLayout(tmp.resolve("lake").resolve(IcebergCatalogs.LOCAL_CATALOG_FILE));
        assertThat(app.metrics().scrape()).contains("lakestream_iceberg_commits_total{table=\"claims\"}")
                .contains("lakestream_iceberg_data_files{table=\"claims\"}");
        app.close();
        app = null;

        new IcebergMaintenanceSteps(kafka, tmp.resolve("lake"))
                .compactToAtMostTwoFilesPerHourAndCommitNothingTwiceAfterOtherWritersAndExpiry(configFile, valid);
    }

    /**
     * Every file of the run was described in its landing event (read back as a downstream consumer sees the topic):
     * the statistics name the size on disk and the data file committed for it has that size, the event's row count
     * and column bounds.
     */
    private void verifyFilesDescribedByTheirLandingEvents(Table table, Table other, String landingsTopic)
            throws Exception {
        Map<String, org.apache.iceberg.DataFile> committed = new java.util.HashMap<>();
        try (var tasks = table.newScan().includeColumnStats().planFiles()) {
            tasks.forEach(t -> committed.put(t.file().location(), t.file()));
        }
        int otherFiles;
        try (var tasks = other.newScan().planFiles()) {
            otherFiles = (int) java.util.stream.StreamSupport.stream(tasks.spliterator(), false).count();
        }
        // The topic holds both tables' events: wait for all of them.
        List<io.lakestream.sink.LandingEvent> events = io.lakestream.testing.CommittedRecords.values(
                Map.of("bootstrap.servers", kafka.bootstrapServers()), landingsTopic, committed.size() + otherFiles)
                .stream()
                .map(io.lakestream.sink.LandingEvent::fromJson).filter(e -> e.table().equals("claims")).toList();
        assertThat(events).extracting(io.lakestream.sink.LandingEvent::uri).containsExactlyInAnyOrderElementsOf(
                committed.keySet());
        for (io.lakestream.sink.LandingEvent e : events) {
            assertThat(e.statistics()).as(e.uri()).isNotNull();
            org.apache.iceberg.DataFile file = committed.get(e.uri());
            assertThat(e.statistics().sizeBytes()).isEqualTo(java.nio.file.Files.size(Path.of(e.uri())))
                    .isEqualTo(file.fileSizeInBytes());
            assertThat(file.recordCount()).isEqualTo(e.rowCount());
            assertThat(file.lowerBounds()).containsKey(table.schema().findField("claim_ts").fieldId());
        }
    }

    /** The SQLite file has the JDBC catalog's tables that pyiceberg's SqlCatalog, Spark and Trino read. */
    private static void verifySqliteLayout(Path db) throws Exception {
        Set<String> tables = new HashSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             ResultSet rs = c.createStatement().executeQuery("SELECT catalog_name, table_namespace, table_name, "
                     + "metadata_location FROM iceberg_tables")) {
            while (rs.next()) {
                assertThat(rs.getString(1)).isEqualTo(IcebergCatalogs.LOCAL_CATALOG_NAME);
                assertThat(rs.getString(4)).endsWith(".metadata.json");
                tables.add(rs.getString(2) + "." + rs.getString(3));
            }
        }
        assertThat(tables).containsExactlyInAnyOrder("claims_lake.claims", "claims_lake.claims_by_account");
    }

    private Path config() throws Exception {
        return LakestreamEnv.inFolder(kafka.bootstrapServers(), "iceberg-local-it", tmp)
                .with("LAKE_TABLE_FORMAT", "iceberg").with("CATALOG_COMMIT_INTERVAL", COMMIT_INTERVAL.toSeconds() + "s")
                .writeClaimsConfig(ConfigTemplates.claims(Path.of("config/claims.yaml"), RAW, "iceberg_local"), tmp);
    }
}
