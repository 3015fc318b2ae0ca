package io.lakestream.runtime;

import io.lakestream.demo.SampleClaims;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakestream.config.ConfigLoader;
import io.lakestream.demo.SampleClaims.Claim;
import io.lakestream.demo.SampleClaims.Kind;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.demo.SampleClaims.Claim;
import io.lakestream.demo.SampleClaims.Kind;
import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.port.ObjectStore;
import io.lakestream.testing.AppUnderTest;
import io.lakestream.testing.ConfigTemplates;
import io.lakestream.testing.DuckLake;
import io.lakestream.testing.EmbeddedKafkaExtension;
import io.lakestream.testing.LakestreamEnv;
import io.lakestream.testing.MotoExtension;
import io.lakestream.testing.MotoServer;
import io.lakestream.testing.RawProducer;
import io.lakestream.testing.TopicRecords;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.Partition;
import software.amazon.awssdk.services.glue.model.Table;

/**
 * The claims pipeline of {@code config/claims.yaml} end to end: a real Kafka broker, S3 + Glue Data Catalog + Glue
 * Schema Registry on a moto server, the real GSR serde and AWS SDK. The lake is read back by DuckDB and the
 * catalog through the Glue API.
 */
@ExtendWith({EmbeddedKafkaExtension.class, MotoExtension.class})
class ClaimsPipelineIT {

    private static final String BUCKET = "claims-lake-it";
    private static final String DATABASE = "claims_lake";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long WINDOW = 100_000;

    @TempDir
    Path tmp;

    private EmbeddedKafka kafka;
    private String raw;
    private final List<AppUnderTest> apps = new ArrayList<>();

    @BeforeEach
    void useBroker(EmbeddedKafka broker) {
        kafka = broker;
    }

    @AfterEach
    void stop() {
        apps.forEach(AppUnderTest::close);
    }

    @Test
    void shouldLandEveryValidClaimExactlyOnceWithCatalogAggregatesDlqAndRegistry(MotoServer moto) throws Exception {
        moto.clients().s3().createBucket(b -> b.bucket(BUCKET));
        LakestreamConfig cfg = config(moto, "claims-it", "a");
        LakestreamApp app = start(cfg);
        // kafka.num.stream.threads is not set: one stream thread per core, at most the raw topic's 3 partitions.
        assertThat(app.streamThreads()).isEqualTo(Math.min(Runtime.getRuntime().availableProcessors(), 3));
        List<Claim> claims = SampleClaims.generate(1200, 1500, 7);

        Map<String, Claim> produced = produceOnTimeThenLate(claims, app);
        app.awaitCaughtUp(Duration.ofMinutes(2));

        verifyLake(moto, cfg, produced);
        verifyDeadLetters(cfg, produced);
        verifyCatalog(moto, cfg);
        // Late claims are left out of the aggregation (counted late), and the drain closed the aggregates sink only
        // after the aggregation's last results were read: no aggregate lands in a late object.
        assertThat(PortsFactory.store(cfg).list("lakestream/claims_by_account/")).isNotEmpty()
                .noneMatch(k -> k.endsWith("-late.parquet"));
        String schemaArn = moto.clients().glue().getSchema(r -> r.schemaId(id -> id.registryName("lakestream")
                .schemaName(cfg.pipelines().get(0).outputTopic()))).schemaArn();
        assertThat(schemaArn).as("normalized schema registered in the Glue Schema Registry").isNotBlank();

        apps.get(0).close();
        try (org.apache.kafka.clients.admin.Admin admin = kafka.admin()) {
            String group = cfg.application().id();
            assertThat(admin.describeConsumerGroups(List.of(group)).all().get().get(group).members())
                    .as("a stopped application leaves its group: the next run gets its partitions at once, not "
                            + "after the session timeout").isEmpty();
        }
    }

    @Test
    void shouldLandTheSameWhenTwoInstancesShareThePartitions(MotoServer moto) throws Exception {
        moto.clients().s3().createBucket(b -> b.bucket(BUCKET));
        LakestreamApp first = start(config(moto, "claims-it-2", "a"));
        LakestreamConfig cfg = config(moto, "claims-it-2", "b");
        LakestreamApp second = start(cfg);
        // No late claims here (the single-instance test has them): which claims an aggregation leaves out as late
        // depends on its task's slowest source partition, and with the partitions split between two instances a
        // task's windows can still be open when a claim the records table marks late arrives; it is then counted,
        // as the README says ("late" in the records table and in the aggregates). One CI run met that.
        List<Claim> claims = SampleClaims.generate(900, 1200, 11).stream().filter(c -> c.kind() != Kind.LATE)
                .toList();

        Map<String, Claim> produced = new HashMap<>();
        produce(claims, produced);
        CompletableFuture<Void> a = CompletableFuture.runAsync(() -> await(first));
        CompletableFuture<Void> b = CompletableFuture.runAsync(() -> await(second));
        CompletableFuture.allOf(a, b).get();

        verifyLake(moto, cfg, produced);
        verifyDeadLetters(cfg, produced);
    }

    private static void await(LakestreamApp app) {
        try {
            app.awaitCaughtUp(Duration.ofMinutes(2));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The claims config under a pipeline named after the application (raw topic {@code <pipeline>.raw}). */
    private LakestreamConfig config(MotoServer moto, String appId, String instance) throws IOException {
        String pipeline = appId.replace('-', '_');
        raw = pipeline + ".raw";
        kafka.createTopics(3, raw);
        return LakestreamEnv.of(kafka.bootstrapServers(), appId, tmp.resolve("state-" + instance)).aws(moto, BUCKET)
                .parse(ConfigTemplates.claims(Path.of("config/claims.yaml"), raw, pipeline), Path.of("config"));
    }

    private LakestreamApp start(LakestreamConfig cfg) throws Exception {
        AppUnderTest app = AppUnderTest.of(cfg);
        apps.add(app);
        return app.start();
    }

    /**
     * Produces the on-time claims, waits until they are consumed, then produces the late ones, so that they are
     * late for every task whatever order the tasks ran in. Returns every claim by "partition:offset".
     */
    private Map<String, Claim> produceOnTimeThenLate(List<Claim> claims, LakestreamApp app) throws Exception {
        Map<String, Claim> produced = new HashMap<>();
        produce(claims.stream().filter(c -> c.kind() != Kind.LATE).toList(), produced);
        app.awaitInputConsumed(Duration.ofMinutes(2));
        produce(claims.stream().filter(c -> c.kind() == Kind.LATE).toList(), produced);
        return produced;
    }

    private void produce(List<Claim> claims, Map<String, Claim> produced) {
        produced.putAll(RawProducer.sendClaims(kafka.bootstrapServers(), raw, claims));
    }

    /** Records table: every valid claim exactly once with its exact values; aggregates equal a reference. */
    private void verifyLake(MotoServer moto, LakestreamConfig cfg, Map<String, Claim> produced) throws IOException {
        ObjectStore store = PortsFactory.store(cfg);
        List<String> keys = store.list("lakestream/claims/");
        assertThat(keys).isNotEmpty().allMatch(k -> k.matches(
                "lakestream/claims/dt=2024-05-01/hour=1[01]/[0-9]+-" + Pattern.quote(raw)
                        + "-[0-2]-[0-9]+(-late)?\\.parquet"));
        DuckLake lake = DuckLake.download(store, "lakestream/");

        List<Map<String, Object>> rows = lake.query("SELECT _source_partition AS p, _source_offset AS o, claim_id, "
                + "CAST(amount AS VARCHAR) AS amount, status, epoch_ms(claim_ts) AS ts, _late AS late, dt, hour "
                + "FROM read_parquet('{lake}/lakestream/claims/**/*.parquet', hive_partitioning=true)");
        Map<String, Claim> valid = produced.entrySet().stream().filter(e -> e.getValue().valid())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        List<String> landedOffsets = rows.stream().map(r -> r.get("p") + ":" + r.get("o")).toList();
        assertThat(landedOffsets).as("each source offset exactly once").doesNotHaveDuplicates();
        assertThat(new HashSet<>(landedOffsets)).as("exactly the valid claims").isEqualTo(valid.keySet());
        for (Map<String, Object> row : rows) {
            Claim claim = valid.get(row.get("p") + ":" + row.get("o"));
            JsonNode json = JSON.readTree(claim.value());
            assertThat(row.get("claim_id")).isEqualTo(json.get("claimId").asText());
            assertThat(row.get("amount")).as("amount exact").isEqualTo(json.get("amount").asText());
            assertThat(row.get("status")).isEqualTo(json.get("status").asText());
            assertThat(((Number) row.get("ts")).longValue()).isEqualTo(claim.eventTimeMillis());
            assertThat(row.get("late")).isEqualTo(claim.kind() == Kind.LATE);
            // DuckDB types hour=10 as a number and hour=09 as text: compare the value
            assertThat(Integer.parseInt(String.valueOf(row.get("hour")))).isEqualTo(
                    Instant.ofEpochMilli(claim.eventTimeMillis()).atZone(java.time.ZoneOffset.UTC).getHour());
        }

        Map<String, String> expected = referenceAggregates(valid.values());
        List<Map<String, Object>> aggregates = lake.query("SELECT account_id, epoch_ms(window_start) AS ws, "
                + "claim_count, CAST(amount_total AS VARCHAR) AS total, CAST(amount_min AS VARCHAR) AS mn, "
                + "CAST(amount_max AS VARCHAR) AS mx FROM read_parquet("
                + "'{lake}/lakestream/claims_by_account/**/*.parquet', hive_partitioning=true)");
        Map<String, String> landed = new TreeMap<>();
        for (Map<String, Object> r : aggregates) {
            String previous = landed.put(r.get("account_id") + "@" + r.get("ws"),
                    r.get("claim_count") + " " + r.get("total") + " " + r.get("mn") + " " + r.get("mx"));
            assertThat(previous).as("one aggregate row per (account, window)").isNull();
        }
        assertThat(landed).isEqualTo(expected);
    }

    /** count, sum, min, max per (account, 100 s window) over the on-time claims, computed here independently. */
    private static Map<String, String> referenceAggregates(java.util.Collection<Claim> valid) throws IOException {
        Map<String, List<BigDecimal>> groups = new TreeMap<>();
        for (Claim c : valid) {
            if (c.kind() == Kind.LATE) {
                continue; // arrived after its window closed: in the records table, not in the aggregates
            }
            long window = Math.floorDiv(c.eventTimeMillis(), WINDOW) * WINDOW;
            groups.computeIfAbsent(c.key() + "@" + window, k -> new ArrayList<>())
                    .add(new BigDecimal(JSON.readTree(c.value()).get("amount").asText()));
        }
        Map<String, String> expected = new TreeMap<>();
        groups.forEach((k, amounts) -> expected.put(k, amounts.size() + " "
                + amounts.stream().reduce(BigDecimal.ZERO, BigDecimal::add).toPlainString() + " "
                + amounts.stream().min(BigDecimal::compareTo).orElseThrow().toPlainString() + " "
                + amounts.stream().max(BigDecimal::compareTo).orElseThrow().toPlainString()));
        return expected;
    }

    /** DLQ: exactly the malformed claims, original bytes untouched, the reason and the source coordinates. */
    private void verifyDeadLetters(LakestreamConfig cfg, Map<String, Claim> produced) {
        Map<String, Claim> bad = produced.entrySet().stream().filter(e -> !e.getValue().valid())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        Map<String, ConsumerRecord<byte[], byte[]>> dlq = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll(cfg.pipelines().get(0).dlqTopic())) {
            String source = header(r, "lakestream.source.partition") + ":" + header(r, "lakestream.source.offset");
            assertThat(dlq.put(source, r)).as("one dead letter per source offset").isNull();
        }
        assertThat(dlq.keySet()).isEqualTo(bad.keySet());
        dlq.forEach((source, r) -> {
            Claim claim = bad.get(source);
            assertThat(r.value()).isEqualTo(claim.value());
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(claim.key());
            assertThat(header(r, "lakestream.error.class")).isEqualTo(claim.kind().name());
            assertThat(header(r, "lakestream.source.topic")).isEqualTo(raw);
            assertThat(header(r, "lakestream.error.message")).isNotBlank();
        });
    }

    /** Catalog: the table's columns and partition keys, and exactly the partitions that hold objects. */
    private void verifyCatalog(MotoServer moto, LakestreamConfig cfg) {
        GlueClient glue = moto.clients().glue();
        Table table = glue.getTable(r -> r.databaseName(DATABASE).name("claims")).table();
        assertThat(table.partitionKeys()).extracting(Column::name).containsExactly("dt", "hour");
        Map<String, String> columns = table.storageDescriptor().columns().stream()
                .collect(Collectors.toMap(Column::name, Column::type));
        assertThat(columns).containsEntry("amount", "decimal(12,2)").containsEntry("claim_ts", "timestamp")
                .containsEntry("_source_offset", "bigint").containsEntry("_late", "boolean");
        Set<List<String>> partitions = glue.getPartitionsPaginator(r -> r.databaseName(DATABASE).tableName("claims"))
                .stream().flatMap(page -> page.partitions().stream()).map(Partition::values).collect(Collectors.toSet());
        Set<List<String>> withObjects = PortsFactory.store(cfg).list("lakestream/claims/").stream()
                .map(k -> k.split("/")).map(s -> List.of(s[2].substring(3), s[3].substring(5)))
                .collect(Collectors.toSet());
        assertThat(partitions).isEqualTo(withObjects);
        assertThat(glue.getTable(r -> r.databaseName(DATABASE).name("claims_by_account")).table().partitionKeys())
                .extracting(Column::name).containsExactly("dt", "hour");
    }

    private List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        return TopicRecords.readAll(kafka.bootstrapServers(), topic);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return TopicRecords.header(r, name);
    }
}
