package io.lakestream.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lakestream.catalog.InMemoryCatalog;
import io.lakestream.config.AggregationConfig;
import io.lakestream.config.AggregationConfig.MeasureConfig;
import io.lakestream.config.AggregationConfig.MeasureFn;
import io.lakestream.config.AggregationConfig.WindowConfig;
import io.lakestream.config.FileFormat;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.port.Ports;
import io.lakestream.sink.InMemoryObjectStore;
import io.lakestream.sink.SinkHarness;
import io.lakestream.sink.TestConfigs;
import io.lakestream.sink.WireFormatRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Filtered and computed measures (TopologyTestDriver): {@code fn: count, where: ...} and {@code fn: sum, expr: ...,
 * where: ...}, grouped by fields other than the key, so the expressions run on the repartitioned projection. The
 * results equal an independent BigDecimal reference to the cent. {@code fn: count_distinct}: exact on small sets,
 * within the documented error of the default sketch (lg-k 12: 1.6 % relative standard error) on 100,000 distinct
 * values.
 */
class MeasureExpressionsTest {

    static final long T0 = Instant.parse("2024-03-01T10:00:00Z").toEpochMilli();
    static final String NAME = "big_claims";
    static final String DISTINCT = "distinct_claims";
    /** Three relative standard errors of count_distinct's default sketch (lg-k 12: 1.04 / sqrt(4096)). */
    static final double THREE_SIGMA = 3 * 1.04 / Math.sqrt(4096);

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final Ports ports = new Ports(new WireFormatRegistry(), new InMemoryObjectStore(), new InMemoryCatalog(),
            metrics);
    private SinkHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void shouldCountAndSumOnlyTheRecordsTheWhereConditionSelects() {
        AggregationConfig a = new AggregationConfig(NAME, List.of("account_id", "currency"),
                new WindowConfig(Duration.ofSeconds(100), Duration.ofSeconds(100), Duration.ofSeconds(30),
                        Duration.ofSeconds(60)),
                List.of(new MeasureConfig("big_count", MeasureFn.COUNT, null, null, "amount > 5000"),
                        new MeasureConfig("big_double", MeasureFn.SUM, null, "amount * 2", "amount > 5000"),
                        new MeasureConfig("all_count", MeasureFn.COUNT, null)),
                TestConfigs.PIPELINE + "." + NAME, NAME, FileFormat.PARQUET);
        LakestreamConfig cfg = TestConfigs.config(FileFormat.PARQUET, List.of(a));
        harness = new SinkHarness(cfg, ports, 0, SinkHarness.tempDir(), (b, normalized) -> {
            Map<String, Integer> partitions = Map.of(TestConfigs.RAW_TOPIC, 1);
            AggregateStage.add(b, new AggregationInputs(b, normalized, TestConfigs.pipeline(cfg), ports), cfg, a,
                    SinkHarness.SCHEMA, ports, partitions);
        });
        var results = harness.driver.createOutputTopic(a.topic(),
                new org.apache.kafka.common.serialization.StringDeserializer(), ports.registry().deserializer());

        Random random = new Random(7);
        Map<String, BigDecimal[]> expected = new TreeMap<>();
        for (int i = 0; i < 150; i++) {
            long eventTime = T0 + i * 2_000L;
            BigDecimal amount = BigDecimal.valueOf(random.nextInt(1_000_000), 2);
            String account = "acc-" + random.nextInt(3);
            harness.pipe(SinkHarness.claim(account, "c" + i, amount.toPlainString(), eventTime), T0 + i);
            String key = account + "@" + (eventTime - eventTime % 100_000);
            BigDecimal[] acc = expected.computeIfAbsent(key, k -> new BigDecimal[] {BigDecimal.ZERO, null,
                    BigDecimal.ZERO});
            acc[2] = acc[2].add(BigDecimal.ONE);
            if (amount.compareTo(new BigDecimal(5000)) > 0) {
                acc[0] = acc[0].add(BigDecimal.ONE);
                acc[1] = (acc[1] == null ? BigDecimal.ZERO : acc[1]).add(amount.multiply(BigDecimal.valueOf(2)));
            }
        }
        harness.driver.advanceWallClockTime(Duration.ofSeconds(61));

        Map<String, String> actual = new TreeMap<>();
        for (GenericRecord r : results.readValuesToList()) {
            if (r == null) {
                continue; // a watermark mark for the aggregates sink, not a result
            }
            actual.put(r.get("account_id") + "@" + r.get("window_start"), r.get("big_count") + " "
                    + decimal(r, "big_double") + " " + r.get("all_count"));
        }
        Map<String, String> want = new TreeMap<>();
        expected.forEach((k, v) -> want.put(k, v[0].toPlainString() + " " + (v[1] == null ? "null"
                : v[1].toPlainString()) + " " + v[2].toPlainString()));
        assertThat(actual).isEqualTo(want);
    }

    @Test
    void shouldCountDistinctValuesExactlyOnSmallSets() {
        TestOutputTopic<String, GenericRecord> results = distinct(List.of(
                new MeasureConfig("claims", MeasureFn.COUNT_DISTINCT, "claim_id"),
                new MeasureConfig("amounts", MeasureFn.COUNT_DISTINCT, null, "amount * 2", null),
                new MeasureConfig("big_claims", MeasureFn.COUNT_DISTINCT, null, "claim_id", "amount > 50"),
                new MeasureConfig("rows", MeasureFn.COUNT, null)));
        Random random = new Random(11);
        Map<String, Set<String>> claims = new HashMap<>();
        Map<String, Set<String>> amounts = new HashMap<>();
        Map<String, Set<String>> big = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            long eventTime = T0 + i * 1_000L;
            String account = "acc-" + random.nextInt(3);
            String claim = "c" + random.nextInt(40); // repeats
            int cents = random.nextInt(100) * 100; // whole amounts, also as "12.00" and "12.0"
            String amount = cents / 100 + (i % 2 == 0 ? ".00" : ".0");
            harness.pipe(SinkHarness.claim(account, claim, amount, eventTime), T0 + i);
            String key = account + "@" + (eventTime - eventTime % 100_000);
            claims.computeIfAbsent(key, k -> new HashSet<>()).add(claim);
            amounts.computeIfAbsent(key, k -> new HashSet<>()).add(String.valueOf(cents));
            Set<String> bigOnes = big.computeIfAbsent(key, k -> new HashSet<>());
            if (cents > 5_000) {
                bigOnes.add(claim);
            }
        }
        harness.driver.advanceWallClockTime(Duration.ofSeconds(61));

        Map<String, String> actual = new TreeMap<>();
        for (GenericRecord r : results.readValuesToList()) {
            if (r != null) {
                actual.put(r.get("account_id") + "@" + r.get("window_start"),
                        r.get("claims") + " " + r.get("amounts") + " " + r.get("big_claims"));
            }
        }
        Map<String, String> expected = new TreeMap<>();
        claims.forEach((k, v) -> expected.put(k, v.size() + " " + amounts.get(k).size() + " " + big.get(k).size()));
        assertThat(actual).hasSize(9).isEqualTo(expected);
    }

    @Test
    void shouldEstimateOneHundredThousandDistinctValuesWithinTheDocumentedError() {
        TestOutputTopic<String, GenericRecord> results = distinct(List.of(
                new MeasureConfig("claims", MeasureFn.COUNT_DISTINCT, "claim_id"),
                new MeasureConfig("rows", MeasureFn.COUNT, null)));
        int distinct = 100_000;
        for (int i = 0; i < distinct; i++) {
            // One window (100 s) and one account; every claim id once.
            harness.pipe(SinkHarness.claim("acc-1", "claim-" + i, "1.00", T0 + i % 90_000), T0);
        }
        harness.driver.advanceWallClockTime(Duration.ofSeconds(61));

        List<GenericRecord> rows = results.readValuesToList().stream().filter(r -> r != null).toList();
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("rows")).isEqualTo((long) distinct);
        assertThat((double) (Long) rows.get(0).get("claims")).isCloseTo(distinct, within(distinct * THREE_SIGMA));
    }

    @Test
    void shouldUpdateTheSketchInTheAccumulatorsOwnBytes() {
        ByteBuffer sketch = DistinctSketch.empty(MeasureConfig.DEFAULT_LG_K);
        byte[] bytes = sketch.array();
        for (int i = 0; i < 1_000; i++) {
            DistinctSketch.add(sketch, "v" + (i % 250));
        }
        DistinctSketch.add(sketch, "");
        DistinctSketch.add(sketch, null);

        assertThat(sketch.array()).isSameAs(bytes);
        assertThat(DistinctSketch.estimate(ByteBuffer.wrap(bytes.clone()))).isEqualTo(251);
    }

    private TestOutputTopic<String, GenericRecord> distinct(List<MeasureConfig> measures) {
        AggregationConfig a = new AggregationConfig(DISTINCT, List.of("account_id"),
                new WindowConfig(Duration.ofSeconds(100), Duration.ofSeconds(100), Duration.ofSeconds(30),
                        Duration.ofSeconds(60)),
                measures, TestConfigs.PIPELINE + "." + DISTINCT, DISTINCT, FileFormat.PARQUET);
        LakestreamConfig cfg = TestConfigs.config(FileFormat.PARQUET, List.of(a));
        harness = new SinkHarness(cfg, ports, 0, SinkHarness.tempDir(), (b, normalized) -> {
            Map<String, Integer> partitions = Map.of(TestConfigs.RAW_TOPIC, 1);
            AggregateStage.add(b, new AggregationInputs(b, normalized, TestConfigs.pipeline(cfg), ports), cfg, a,
                    SinkHarness.SCHEMA, ports, partitions);
        });
        return harness.driver.createOutputTopic(a.topic(), new StringDeserializer(), ports.registry().deserializer());
    }

    private static String decimal(GenericRecord r, String field) {
        if (r.get(field) == null) {
            return "null";
        }
        Schema type = r.getSchema().getField(field).schema().getTypes().get(1);
        return new Conversions.DecimalConversion().fromBytes((ByteBuffer) r.get(field), type, type.getLogicalType())
                .toPlainString();
    }
}
