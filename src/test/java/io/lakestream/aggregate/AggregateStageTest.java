package io.lakestream.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.catalog.InMemoryCatalog;
import io.lakestream.catalog.TableDefinition.Column;
import io.lakestream.config.AggregationConfig;
import io.lakestream.config.AggregationConfig.MeasureConfig;
import io.lakestream.config.AggregationConfig.MeasureFn;
import io.lakestream.config.AggregationConfig.WindowConfig;
import io.lakestream.config.FileFormat;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.port.Ports;
import io.lakestream.sink.InMemoryObjectStore;
import io.lakestream.sink.LakeReader;
import io.lakestream.sink.LineageColumns;
import io.lakestream.sink.SinkHarness;
import io.lakestream.sink.TestConfigs;
import io.lakestream.sink.WireFormatRegistry;
import io.lakestream.window.LateRecords;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AggregateStageTest {

    static final long T0 = Instant.parse("2024-03-01T10:00:00Z").toEpochMilli();
    static final String NAME = "claims_by_account";
    static final String TABLE_PREFIX = TestConfigs.PREFIX + NAME + "/";

    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private final InMemoryCatalog catalog = new InMemoryCatalog();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final Ports ports = new Ports(new WireFormatRegistry(), store, catalog, metrics);
    private SinkHarness harness;

    /** One input claim as the reference sees it. */
    record Claim(String account, BigDecimal amount, long eventTime) {
    }

    @AfterEach
    void closeDriver() {
        if (harness != null) {
            harness.close();
        }
    }

    private static AggregationConfig aggregation(Duration size, Duration advance) {
        return aggregation(size, advance, List.of("account_id"));
    }

    private static AggregationConfig aggregation(Duration size, Duration advance, List<String> groupBy) {
        return new AggregationConfig(NAME, groupBy,
                new WindowConfig(size, advance, Duration.ofSeconds(30), Duration.ofSeconds(60)),
                List.of(new MeasureConfig("claim_count", MeasureFn.COUNT, null),
                        new MeasureConfig("amount_total", MeasureFn.SUM, "amount"),
                        new MeasureConfig("amount_min", MeasureFn.MIN, "amount"),
                        new MeasureConfig("amount_max", MeasureFn.MAX, "amount"),
                        new MeasureConfig("amount_avg", MeasureFn.AVG, "amount")),
                TestConfigs.PIPELINE + "." + NAME, NAME, FileFormat.PARQUET);
    }

    private void start(AggregationConfig a) {
        start(a, 1);
    }

    private void start(AggregationConfig a, int sourcePartitions) {
        LakestreamConfig cfg = TestConfigs.config(FileFormat.PARQUET, List.of(a));
        harness = new SinkHarness(cfg, ports, 0, SinkHarness.tempDir(), (b, normalized) ->
                addWithSink(b, normalized, cfg, a, sourcePartitions));
    }

    /** The aggregation and its aggregates sink, as the topology factory wires them. */
    private void addWithSink(org.apache.kafka.streams.StreamsBuilder b,
                             org.apache.kafka.streams.kstream.KStream<byte[], io.lakestream.record.NormalizeOutcome
                                     .Normalized> normalized, LakestreamConfig cfg, AggregationConfig a,
                             int sourcePartitions) {
        Map<String, Integer> partitions = Map.of(TestConfigs.RAW_TOPIC, sourcePartitions);
        AggregateStage.add(b, new AggregationInputs(b, normalized, TestConfigs.pipeline(cfg), ports), cfg, a,
                SinkHarness.SCHEMA, ports, partitions);
        io.lakestream.sink.AggregatesSinkStage.add(b, cfg, TestConfigs.pipeline(cfg), a, ports,
                AggregateStage.tasks(TestConfigs.pipeline(cfg), partitions),
                io.lakestream.iceberg.IcebergLayout.of(cfg));
    }

    /** Claims over ~7 minutes, three accounts, out of order by up to 20 s (within the 30 s grace). */
    private static List<Claim> claims() {
        Random random = new Random(42);
        List<Claim> claims = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            long eventTime = T0 + i * 3_500L - random.nextInt(20_000);
            BigDecimal amount = BigDecimal.valueOf(random.nextInt(1_000_000), 2);
            claims.add(new Claim("acc-" + random.nextInt(3), amount, eventTime));
        }
        return claims;
    }

    private void feed(List<Claim> claims) {
        int i = 0;
        for (Claim c : claims) {
            harness.pipe(SinkHarness.claim(c.account(), "c" + i++, c.amount().toPlainString(), c.eventTime()),
                    T0 + i);
        }
        // Idle: the aggregation closes its last windows, then the aggregates sink lands them.
        harness.driver.advanceWallClockTime(Duration.ofSeconds(61));
        harness.driver.advanceWallClockTime(Duration.ofSeconds(61));
    }

    /** Independent reference: every window containing the event time, aligned to the epoch. */
    private static Map<String, Map<String, String>> reference(List<Claim> claims, long size, long advance) {
        Map<String, List<Claim>> byWindow = new TreeMap<>();
        for (Claim c : claims) {
            for (long start = c.eventTime() - c.eventTime() % advance; start > c.eventTime() - size;
                 start -= advance) {
                byWindow.computeIfAbsent(c.account() + "@" + Instant.ofEpochMilli(start), k -> new ArrayList<>())
                        .add(c);
            }
        }
        Map<String, Map<String, String>> expected = new TreeMap<>();
        byWindow.forEach((key, group) -> {
            BigDecimal sum = group.stream().map(Claim::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
            expected.put(key, Map.of(
                    "claim_count", Integer.toString(group.size()),
                    "amount_total", sum.toPlainString(),
                    "amount_min", group.stream().map(Claim::amount).min(BigDecimal::compareTo).orElseThrow()
                            .toPlainString(),
                    "amount_max", group.stream().map(Claim::amount).max(BigDecimal::compareTo).orElseThrow()
                            .toPlainString(),
                    "amount_avg", Double.toString(sum.divide(BigDecimal.valueOf(group.size()),
                            MathContext.DECIMAL64).doubleValue())));
        });
        return expected;
    }

    private Map<String, Map<String, String>> landed() {
        List<Map<String, String>> rows = LakeReader.rows(store, TABLE_PREFIX, FileFormat.PARQUET);
        Map<String, Map<String, String>> byKey = rows.stream().collect(Collectors.toMap(
                r -> r.get("account_id") + "@" + r.get("window_start"),
                r -> Map.of("claim_count", r.get("claim_count"), "amount_total", r.get("amount_total"),
                        "amount_min", r.get("amount_min"), "amount_max", r.get("amount_max"),
                        "amount_avg", r.get("amount_avg"))));
        assertThat(byKey).as("one row per (group, window)").hasSameSizeAs(rows);
        return new TreeMap<>(byKey);
    }

    @Test
    void shouldNotTreatASlowerSourcePartitionAsLateWhenAnotherRunsAhead() {
        // A backfill: source partition 0 is processed to the end before partition 1 starts. Both reach this
        // task through the repartition topic; partition 1's records are on time for partition 1.
        AggregationConfig a = aggregation(Duration.ofSeconds(100), Duration.ofSeconds(100));
        start(a, 2);
        List<Claim> claims = claims();
        List<Claim> ahead = new ArrayList<>();
        List<Claim> behind = new ArrayList<>();
        for (int i = 0; i < claims.size(); i++) {
            (i % 2 == 0 ? ahead : behind).add(claims.get(i));
        }
        int n = 0;
        for (Claim c : ahead) {
            harness.pipe("p0|" + SinkHarness.claim(c.account(), "a" + n++, c.amount().toPlainString(),
                    c.eventTime()), T0 + n);
        }
        for (Claim c : behind) {
            harness.pipe("p1|" + SinkHarness.claim(c.account(), "b" + n++, c.amount().toPlainString(),
                    c.eventTime()), T0 + n);
        }
        harness.driver.advanceWallClockTime(Duration.ofSeconds(61));
        harness.driver.advanceWallClockTime(Duration.ofSeconds(61));

        assertThat(landed()).isEqualTo(reference(claims, 100_000, 100_000));
        assertThat(leftOut()).isZero();
    }

    @Test
    void shouldLandFinalTumblingWindowResultsEqualToAnIndependentReference() {
        AggregationConfig a = aggregation(Duration.ofSeconds(100), Duration.ofSeconds(100));
        start(a);
        List<Claim> claims = claims();
        feed(claims);

        assertThat(landed()).isEqualTo(reference(claims, 100_000, 100_000));
    }

    @Test
    void shouldReadTheNormalizedTopicWithoutARepartitionWhenGroupedByTheRecordKey() {
        AggregationConfig a = aggregation(Duration.ofSeconds(100), Duration.ofSeconds(100));
        start(a);
        feed(claims());

        assertThat(harness.driver.producedTopicNames()).contains(TestConfigs.PIPELINE + ".normalized")
                .noneMatch(t -> t.endsWith("-repartition"));
    }

    @Test
    void shouldRepartitionAProjectionWhenGroupedByOtherFieldsThanTheKey() {
        AggregationConfig a = aggregation(Duration.ofSeconds(100), Duration.ofSeconds(100),
                List.of("account_id", "currency"));
        start(a);
        List<Claim> claims = claims();
        feed(claims);

        assertThat(landed()).isEqualTo(reference(claims, 100_000, 100_000));
        assertThat(harness.driver.producedTopicNames())
                .contains(TestConfigs.APP_ID + "-" + AggregateStage.repartitionName(TestConfigs.PIPELINE, NAME)
                        + "-repartition");
    }

    @Test
    void shouldUpdateEveryHoppingWindowARecordFallsIn() {
        AggregationConfig a = aggregation(Duration.ofSeconds(100), Duration.ofSeconds(25));
        start(a);
        List<Claim> claims = claims();
        feed(claims);

        assertThat(landed()).isEqualTo(reference(claims, 100_000, 25_000));
    }

    @Test
    void shouldEmitOneResultPerGroupAndWindowOnlyWhenTheWindowCloses() {
        AggregationConfig a = aggregation(Duration.ofSeconds(100), Duration.ofSeconds(100));
        start(a);
        var results = harness.driver.createOutputTopic(a.topic(),
                new org.apache.kafka.common.serialization.StringDeserializer(),
                ports.registry().deserializer());
        harness.pipe(SinkHarness.claim("a", "c0", "1.10", T0 + 1_000), 0);
        harness.pipe(SinkHarness.claim("a", "c1", "2.20", T0 + 2_000), 0);
        harness.pipe(SinkHarness.claim("a", "c2", "3.30", T0 + 129_999), 0);
        assertThat(results.readValuesToList()).as("progress marks only").containsOnlyNulls();

        harness.pipe(SinkHarness.claim("b", "c3", "4.40", T0 + 130_000), 0);
        var emitted = results.readKeyValuesToList().stream().filter(kv -> kv.value != null).toList();
        assertThat(emitted).singleElement().satisfies(kv -> {
            assertThat(kv.key).isEqualTo("[\"a\"]");
            assertThat(kv.value.get("claim_count")).isEqualTo(2L);
            assertThat(kv.value.get("window_start")).isEqualTo(T0);
            assertThat(kv.value.get("window_end")).isEqualTo(T0 + 100_000);
        });
    }

    @Test
    void shouldLeaveRecordsBeyondGraceOutOfTheAggregateAndCountThem() {
        AggregationConfig a = aggregation(Duration.ofSeconds(100), Duration.ofSeconds(100));
        start(a);
        List<Claim> onTime = List.of(new Claim("a", new BigDecimal("1.00"), T0 + 1_000),
                new Claim("a", new BigDecimal("2.00"), T0 + 200_000));
        feed(onTime);
        harness.pipe(SinkHarness.claim("a", "late", "5.00", T0 + 2_000), 0);
        harness.driver.advanceWallClockTime(Duration.ofSeconds(61));
        harness.driver.advanceWallClockTime(Duration.ofSeconds(61));

        assertThat(landed()).isEqualTo(reference(onTime, 100_000, 100_000));
        assertThat(leftOut()).isEqualTo(1);
    }

    @Test
    void shouldCatalogTheAggregatesTableWithGeneratedColumnsAndTheAggregationTopicAsLineage() {
        AggregationConfig a = aggregation(Duration.ofSeconds(100), Duration.ofSeconds(100));
        start(a);
        feed(List.of(new Claim("a", new BigDecimal("1.00"), T0 + 1_000)));

        assertThat(catalog.table(TestConfigs.DATABASE, NAME).columns()).extracting(Column::name, Column::type)
                .startsWith(
                        org.assertj.core.groups.Tuple.tuple("account_id", "string"),
                        org.assertj.core.groups.Tuple.tuple("window_start", "timestamp"),
                        org.assertj.core.groups.Tuple.tuple("window_end", "timestamp"),
                        org.assertj.core.groups.Tuple.tuple("claim_count", "bigint"),
                        org.assertj.core.groups.Tuple.tuple("amount_total", "decimal(38,2)"),
                        org.assertj.core.groups.Tuple.tuple("amount_min", "decimal(12,2)"),
                        org.assertj.core.groups.Tuple.tuple("amount_max", "decimal(12,2)"),
                        org.assertj.core.groups.Tuple.tuple("amount_avg", "double"));
        assertThat(LakeReader.rows(store, TABLE_PREFIX, FileFormat.PARQUET)).singleElement()
                .satisfies(r -> assertThat(r.get(LineageColumns.SOURCE_TOPIC)).isEqualTo(a.topic()));
        assertThat(catalog.partitions(TestConfigs.DATABASE, NAME)).hasSize(1);
    }

    @Test
    void shouldContinueFromRestoredAccumulatorsAfterARebalance() {
        AggregationConfig a = aggregation(Duration.ofSeconds(100), Duration.ofSeconds(50));
        List<Claim> claims = claims();
        String aggregateStore = AggregateStage.storeName(TestConfigs.PIPELINE, NAME);
        start(a);
        Map<String, Map<String, String>> emitted = new TreeMap<>();
        var before = resultsTopic(a);
        int half = claims.size() / 2;
        for (int i = 0; i < half; i++) {
            Claim c = claims.get(i);
            harness.pipe(SinkHarness.claim(c.account(), "c" + i, c.amount().toPlainString(), c.eventTime()), T0);
        }
        before.readValuesToList().stream().filter(r -> r != null).forEach(r -> collect(emitted, r));
        // What the changelog holds: accumulators held in memory must reach it before each commit.
        var committed = harness.changelog(aggregateStore);
        harness.close();

        // The new owner restores the accumulators from the changelog and resumes at the committed offset.
        LakestreamConfig cfg = TestConfigs.config(FileFormat.PARQUET, List.of(a));
        harness = new SinkHarness(cfg, ports, half, SinkHarness.tempDir(), (b, normalized) ->
                addWithSink(b, normalized, cfg, a, 1));
        harness.restore(aggregateStore, committed);
        var after = resultsTopic(a);
        feed(claims);
        after.readValuesToList().stream().filter(r -> r != null).forEach(r -> collect(emitted, r));

        assertThat(emitted).isEqualTo(reference(claims, 100_000, 50_000));
    }

    /** Records of the pipeline left out of the aggregation's windows, as the run report reads them. */
    private double leftOut() {
        return metrics.counter(LateRecords.LEFT_OUT_METRIC, "pipeline", TestConfigs.PIPELINE, "aggregation", NAME)
                .count();
    }

    private org.apache.kafka.streams.TestOutputTopic<String, org.apache.avro.generic.GenericRecord> resultsTopic(
            AggregationConfig a) {
        return harness.driver.createOutputTopic(a.topic(),
                new org.apache.kafka.common.serialization.StringDeserializer(), ports.registry().deserializer());
    }

    /** Adds one result read from the aggregation topic, failing on a second result for the same group and window. */
    private static void collect(Map<String, Map<String, String>> results, org.apache.avro.generic.GenericRecord r) {
        String key = r.get("account_id") + "@" + Instant.ofEpochMilli((Long) r.get("window_start"));
        Map<String, String> measures = Map.of("claim_count", r.get("claim_count").toString(),
                "amount_total", decimal(r, "amount_total"), "amount_min", decimal(r, "amount_min"),
                "amount_max", decimal(r, "amount_max"), "amount_avg", r.get("amount_avg").toString());
        assertThat(results.put(key, measures)).as("second result for " + key).isNull();
    }

    private static String decimal(org.apache.avro.generic.GenericRecord r, String field) {
        Schema type = r.getSchema().getField(field).schema().getTypes().get(1);
        return new org.apache.avro.Conversions.DecimalConversion()
                .fromBytes((java.nio.ByteBuffer) r.get(field), type, type.getLogicalType()).toPlainString();
    }
}
