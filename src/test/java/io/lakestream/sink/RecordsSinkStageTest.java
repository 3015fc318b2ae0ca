package io.lakestream.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.catalog.InMemoryCatalog;
import io.lakestream.catalog.PartitionSpec;
import io.lakestream.catalog.TableDefinition;
import io.lakestream.catalog.TableDefinition.Column;
import io.lakestream.config.FileFormat;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.port.Ports;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RecordsSinkStageTest {

    static final long T0 = Instant.parse("2024-03-01T10:00:00Z").toEpochMilli();
    static final String TABLE_PREFIX = TestConfigs.PREFIX + TestConfigs.TABLE + "/";

    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private final InMemoryCatalog catalog = new InMemoryCatalog();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final Ports ports = new Ports(new WireFormatRegistry(), store, catalog, metrics);
    private final List<SinkHarness> harnesses = new ArrayList<>();

    @AfterEach
    void closeDrivers() {
        harnesses.forEach(SinkHarness::close);
    }

    private SinkHarness harness(FileFormat format) {
        LakestreamConfig cfg = TestConfigs.config(format, List.of());
        SinkHarness h = SinkHarness.recordsSink(cfg, ports, 0);
        harnesses.add(h);
        return h;
    }

    @ParameterizedTest
    @EnumSource(FileFormat.class)
    void shouldLandEveryWellFormedRecordOnceReadBackWithTheFormatsOwnReader(FileFormat format) {
        SinkHarness h = harness(format);
        Map<Long, String> expectedAmounts = new HashMap<>();
        int n = 40;
        for (int offset = 0; offset < n; offset++) {
            if (offset % 7 == 3) {
                h.pipe(offset % 2 == 0 ? "{not json" : "{\"account_id\":\"a\"}", T0);
                continue;
            }
            // Three landing windows, some records out of order within the grace period.
            long eventTime = T0 + offset * 6_000L - (offset % 4) * 3_000L;
            String amount = offset + "." + (offset % 10) + "5";
            expectedAmounts.put((long) offset, amount);
            h.pipe(SinkHarness.claim("acc-" + (offset % 3), "c-" + offset, amount, eventTime), T0 + offset);
        }
        h.driver.advanceWallClockTime(TestConfigs.IDLE.plusSeconds(1));

        List<Map<String, String>> rows = LakeReader.rows(store, TABLE_PREFIX, format);
        assertThat(rows).hasSize(n - 6);
        assertThat(rows).extracting(r -> r.get(LineageColumns.SOURCE_PARTITION) + "/" + r.get(
                LineageColumns.SOURCE_OFFSET)).doesNotHaveDuplicates();
        Map<Long, String> landedAmounts = rows.stream().collect(Collectors.toMap(
                r -> Long.parseLong(r.get(LineageColumns.SOURCE_OFFSET)), r -> r.get("amount")));
        assertThat(landedAmounts).isEqualTo(expectedAmounts);
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.get(LineageColumns.SOURCE_TOPIC)).isEqualTo(TestConfigs.RAW_TOPIC);
            assertThat(r.get(LineageColumns.LATE)).isEqualTo("false");
            assertThat(r.get("claim_id")).isEqualTo("c-" + r.get(LineageColumns.SOURCE_OFFSET));
            assertThat(Instant.parse(r.get(LineageColumns.KAFKA_TIMESTAMP)).toEpochMilli())
                    .isEqualTo(T0 + Long.parseLong(r.get(LineageColumns.SOURCE_OFFSET)));
        });
    }

    @Test
    void shouldWriteOneObjectPerWindowAtItsHivePathWithOffsetRangeMetadataAndRowsInOffsetOrder() {
        SinkHarness h = harness(FileFormat.PARQUET);
        h.pipe(SinkHarness.claim("a", "c0", "1.00", T0 + 5_000), 1);
        h.pipe(SinkHarness.claim("a", "c1", "2.00", T0 + 1_000), 2);
        h.pipe(SinkHarness.claim("a", "c2", "3.00", T0 + 150_000), 3);
        // closes [T0, T0+100s): watermark T0+150s >= window end + grace
        h.pipe(SinkHarness.claim("a", "c3", "4.00", T0 + 130_000), 4);

        String key = TABLE_PREFIX + "dt=2024-03-01/hour=10/" + T0 + "-" + TestConfigs.RAW_TOPIC + "-0-0.parquet";
        assertThat(store.list(TABLE_PREFIX)).containsExactly(key);
        assertThat(store.metadata(key)).contains(Map.of(
                ObjectMetadata.FIRST_OFFSET, "0", ObjectMetadata.LAST_OFFSET, "1",
                ObjectMetadata.RECORD_COUNT, "2", ObjectMetadata.SOURCE, TestConfigs.RAW_TOPIC + "-0",
                ObjectMetadata.WINDOW_START, Long.toString(T0),
                ObjectMetadata.WINDOW_END, Long.toString(T0 + 100_000), ObjectMetadata.LATE, "false"));
        assertThat(LakeReader.read(store.read(key), FileFormat.PARQUET))
                .extracting(r -> r.get("claim_id")).containsExactly("c0", "c1");

        List<LandingEvent> events = h.landingEvents();
        assertThat(events).containsExactly(new LandingEvent(TestConfigs.TABLE,
                Map.of("dt", "2024-03-01", "hour", "10"), key, store.uri(key), 2, TestConfigs.RAW_TOPIC, 0, 0, 1,
                T0, T0 + 100_000, false));
        assertThat(metrics.counter("lakestream.objects.written", "table", TestConfigs.TABLE).count()).isEqualTo(1);
        assertThat(metrics.counter("lakestream.windows.flushed", "table", TestConfigs.TABLE).count()).isEqualTo(1);
        assertThat(metrics.counter("lakestream.bytes.written", "table", TestConfigs.TABLE).count())
                .isEqualTo(store.read(key).length);
        assertThat(metrics.timer("lakestream.flush.latency", "table", TestConfigs.TABLE).count()).isEqualTo(1);
    }

    @Test
    void shouldHoldWindowsOpenUntilWatermarkPassesEndPlusGrace() {
        SinkHarness h = harness(FileFormat.JSONL);
        h.pipe(SinkHarness.claim("a", "c0", "1.00", T0), 0);
        h.pipe(SinkHarness.claim("a", "c1", "1.00", T0 + 129_999), 0);
        assertThat(store.list(TABLE_PREFIX)).isEmpty();
        h.pipe(SinkHarness.claim("a", "c2", "1.00", T0 + 130_000), 0);
        assertThat(store.list(TABLE_PREFIX)).hasSize(1);
    }

    @Test
    void shouldSplitObjectsOfOneWindowThatCrossesAnHourByEventTimePartition() {
        SinkHarness h = harness(FileFormat.CSV);
        long beforeHour = Instant.parse("2024-03-01T10:59:59Z").toEpochMilli();
        long afterHour = Instant.parse("2024-03-01T11:00:30Z").toEpochMilli();
        h.pipe(SinkHarness.claim("a", "c0", "1.00", beforeHour), 0);
        h.pipe(SinkHarness.claim("a", "c1", "1.00", afterHour), 0);
        h.driver.advanceWallClockTime(TestConfigs.IDLE);

        assertThat(store.list(TABLE_PREFIX)).extracting(k -> k.substring(TABLE_PREFIX.length(),
                k.lastIndexOf('/'))).containsExactly("dt=2024-03-01/hour=10", "dt=2024-03-01/hour=11");
    }

    @Test
    void shouldLandRecordsOfAFlushedWindowInASeparateLateObject() {
        SinkHarness h = harness(FileFormat.AVRO);
        h.pipe(SinkHarness.claim("a", "c0", "1.00", T0 + 10_000), 0);
        h.pipe(SinkHarness.claim("a", "c1", "1.00", T0 + 200_000), 0);
        String onTime = TABLE_PREFIX + "dt=2024-03-01/hour=10/" + T0 + "-" + TestConfigs.RAW_TOPIC + "-0-0.avro";
        assertThat(store.list(TABLE_PREFIX)).containsExactly(onTime);
        byte[] flushed = store.read(onTime);

        h.pipe(SinkHarness.claim("a", "late", "9.99", T0 + 20_000), 0);
        h.pipe(SinkHarness.claim("a", "c3", "1.00", T0 + 400_000), 0);

        String late = TABLE_PREFIX + "dt=2024-03-01/hour=10/" + T0 + "-" + TestConfigs.RAW_TOPIC + "-0-2-late.avro";
        assertThat(store.list(TABLE_PREFIX)).contains(onTime, late);
        assertThat(store.read(onTime)).isEqualTo(flushed);
        assertThat(LakeReader.read(store.read(late), FileFormat.AVRO)).singleElement().satisfies(r -> {
            assertThat(r.get("claim_id")).isEqualTo("late");
            assertThat(r.get(LineageColumns.LATE)).isEqualTo("true");
            assertThat(r.get("claim_ts")).isEqualTo(Instant.ofEpochMilli(T0 + 20_000).toString());
        });
        assertThat(store.metadata(late).orElseThrow()).containsEntry(ObjectMetadata.LATE, "true");
        assertThat(metrics.counter("lakestream.late.records", "pipeline", TestConfigs.PIPELINE,
                "table", TestConfigs.TABLE).count()).isEqualTo(1);
        assertThat(h.landingEvents()).filteredOn(LandingEvent::late).extracting(LandingEvent::objectKey)
                .containsExactly(late);
    }

    @Test
    void shouldCloseIdleTasksWindowsAfterTheWallClockIdleTimeoutWithNoNewRecords() {
        SinkHarness h = harness(FileFormat.PARQUET);
        h.pipe(SinkHarness.claim("a", "c0", "1.00", T0), 0);
        h.pipe(SinkHarness.claim("a", "c1", "1.00", T0 + 120_000), 0);
        assertThat(store.list(TABLE_PREFIX)).isEmpty();

        h.driver.advanceWallClockTime(TestConfigs.IDLE.minusSeconds(1));
        assertThat(store.list(TABLE_PREFIX)).isEmpty();
        h.driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(store.list(TABLE_PREFIX)).hasSize(2);
        assertThat(h.landingEvents()).hasSize(2);

        // A record for an idle-closed window is late: its window was flushed.
        h.pipe(SinkHarness.claim("a", "c2", "1.00", T0 + 125_000), 0);
        h.driver.advanceWallClockTime(TestConfigs.IDLE);
        assertThat(store.list(TABLE_PREFIX)).hasSize(3).filteredOn(k -> k.endsWith("-late.parquet")).hasSize(1);
    }

    @Test
    void shouldCatalogExactlyThePartitionsThatHaveObjectsWithTheTablesColumns() {
        SinkHarness h = harness(FileFormat.PARQUET);
        long nextDay = Instant.parse("2024-03-02T03:00:00Z").toEpochMilli();
        h.pipe(SinkHarness.claim("a", "c0", "1.00", T0), 0);
        h.pipe(SinkHarness.claim("a", "c1", "1.00", T0 + 3_600_000), 0);
        h.pipe(SinkHarness.claim("a", "c2", "1.00", nextDay), 0);
        h.driver.advanceWallClockTime(TestConfigs.IDLE);

        Set<List<String>> withObjects = store.list(TABLE_PREFIX).stream()
                .map(k -> List.of(k.split("/")[2].substring(3), k.split("/")[3].substring(5)))
                .collect(Collectors.toSet());
        assertThat(catalog.partitions(TestConfigs.DATABASE, TestConfigs.TABLE)).extracting(PartitionSpec::values)
                .containsExactlyInAnyOrderElementsOf(withObjects)
                .containsExactlyInAnyOrder(List.of("2024-03-01", "10"), List.of("2024-03-01", "11"),
                        List.of("2024-03-02", "03"));
        assertThat(catalog.partitions(TestConfigs.DATABASE, TestConfigs.TABLE)).extracting(PartitionSpec::location)
                .contains("memory://lake/lake/claims/dt=2024-03-02/hour=03/");

        TableDefinition table = catalog.table(TestConfigs.DATABASE, TestConfigs.TABLE);
        assertThat(table.columns()).extracting(Column::name, Column::type).containsExactly(
                org.assertj.core.groups.Tuple.tuple("account_id", "string"),
                org.assertj.core.groups.Tuple.tuple("claim_id", "string"),
                org.assertj.core.groups.Tuple.tuple("amount", "decimal(12,2)"),
                org.assertj.core.groups.Tuple.tuple("currency", "string"),
                org.assertj.core.groups.Tuple.tuple("status", "string"),
                org.assertj.core.groups.Tuple.tuple("claim_ts", "timestamp"),
                org.assertj.core.groups.Tuple.tuple("note", "string"),
                org.assertj.core.groups.Tuple.tuple("_source_topic", "string"),
                org.assertj.core.groups.Tuple.tuple("_source_partition", "int"),
                org.assertj.core.groups.Tuple.tuple("_source_offset", "bigint"),
                org.assertj.core.groups.Tuple.tuple("_kafka_timestamp", "timestamp"),
                org.assertj.core.groups.Tuple.tuple("_late", "boolean"));
        assertThat(table.partitionKeys()).containsExactly("dt", "hour");
        assertThat(table.format()).isEqualTo(FileFormat.PARQUET);
        assertThat(table.location()).isEqualTo("memory://lake/lake/claims/");
        assertThat(catalog.ensureTableCalls()).isEqualTo(1);
    }

    /** Parquet writes a group of one schema version from its wire bytes, a group mixing versions through Avro. */
    @ParameterizedTest
    @EnumSource(value = FileFormat.class, names = {"JSONL", "PARQUET"})
    void shouldWriteAWindowMixingSchemaVersionsInTheNewestAndAddItsColumnsToTheTable(FileFormat format) {
        SinkHarness h = harness(format);
        h.pipe(SinkHarness.claim("a", "v1", "1.00", T0), 0);
        String v2 = SinkHarness.claim("a", "v2", "2.00", T0 + 1_000);
        h.pipe(v2.substring(0, v2.length() - 1) + ",\"priority\":\"HIGH\"}", 0);
        h.driver.advanceWallClockTime(TestConfigs.IDLE);

        assertThat(LakeReader.rows(store, TABLE_PREFIX, format))
                .extracting(r -> r.get("claim_id") + ":" + r.get("priority"))
                .containsExactly("v1:", "v2:HIGH");
        assertThat(catalog.table(TestConfigs.DATABASE, TestConfigs.TABLE).columns()).extracting(Column::name)
                .contains("priority", LineageColumns.LATE);
    }

    @Test
    void shouldAddPartitionsInBatchesOfAtMostOneHundred() {
        SinkHarness h = harness(FileFormat.CSV);
        h.pipe(SinkHarness.claim("a", "now", "1.00", T0 + 200L * 3_600_000), 0);
        h.driver.advanceWallClockTime(TestConfigs.IDLE);
        // 150 records late by days, each of its own hour, all land in one flush
        for (int hour = 0; hour < 150; hour++) {
            h.pipe(SinkHarness.claim("a", "late" + hour, "1.00", T0 + hour * 3_600_000L), 0);
        }
        h.driver.advanceWallClockTime(TestConfigs.IDLE);

        assertThat(catalog.partitions(TestConfigs.DATABASE, TestConfigs.TABLE)).hasSize(151);
        assertThat(store.list(TABLE_PREFIX)).hasSize(151);
        assertThat(catalog.addPartitionCalls()).isEqualTo(3);
    }
}
