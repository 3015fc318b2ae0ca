package io.lakestream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.lakestream.config.TableFormatConfig.PartitionField;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code lake.table-format}, {@code catalog.commit-interval} and the per-table Iceberg settings. */
class TableFormatConfigTest {

    private static final String BASE = ConfigErrorsTest.VALID.replace("type: none", "type: local\n  database: lake");

    private LakestreamConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, ConfigYaml.SCHEMA_DIR, Map.of(), "test");
    }

    @Test
    void shouldKeepEveryTableHiveByDefault() {
        TableFormatConfig formats = parse(BASE).tableFormats();

        assertThat(formats.defaultFormat()).isEqualTo("hive");
        assertThat(formats.icebergTables()).isEmpty();
        assertThat(formats.commitInterval()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void shouldMakeRecordsAndAggregatesTablesIcebergPartitionedByTheHourOfTheirEventTime() {
        TableFormatConfig formats = parse(BASE.replace("store: local", "store: local\n  table-format: iceberg")
                .replace("database: lake", "database: lake\n  commit-interval: 30s")).tableFormats();

        assertThat(formats.commitInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(formats.iceberg("claims").partitionSpec())
                .containsExactly(new PartitionField("hour", "claim_ts", 0));
        assertThat(formats.iceberg("by_account").partitionSpec())
                .containsExactly(new PartitionField("hour", "window_start", 0));
    }

    @Test
    void shouldTakeAPerTableFormatAndPartitionSpec() {
        TableFormatConfig formats = parse(BASE.replace("      field: claim_ts\n", "      field: claim_ts\n"
                + "    landing:\n      table-format: iceberg\n"
                + "      partition-spec: [day(claim_ts), identity(currency), \"bucket(16, account_id)\"]\n"))
                .tableFormats();

        assertThat(formats.iceberg("claims").partitionSpec()).containsExactly(new PartitionField("day", "claim_ts", 0),
                new PartitionField("identity", "currency", 0), new PartitionField("bucket", "account_id", 16));
        assertThat(formats.iceberg("by_account")).as("the aggregates table stays Hive").isNull();
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "`store: local`|`lake.table-format: must be one of hive, iceberg, was \"delta\"`|`store: local\n  table-format: delta`",
        "`database: lake`|`catalog.commit-interval: must be a positive duration like 100s (units ms, s, m, h, d), was \"0s\"`|`database: lake\n  commit-interval: 0s`",
        "`      field: claim_ts\n`|`pipelines[0].landing.partition-spec: is only used by Iceberg tables; set table-format: iceberg or remove it`|`      field: claim_ts\n    landing:\n      partition-spec: [day(claim_ts)]\n`",
        "`      field: claim_ts\n`|`pipelines[0].landing.partition-spec[0]: must be hour(<field>), day(<field>), identity(<field>) or bucket(<n>, <field>), was \"month(claim_ts)\"`|`      field: claim_ts\n    landing:\n      table-format: iceberg\n      partition-spec: [month(claim_ts)]\n`",
        "`      field: claim_ts\n`|`pipelines[0].landing.partition-spec[0]: field \"nope\" is not in the table's schema`|`      field: claim_ts\n    landing:\n      table-format: iceberg\n      partition-spec: [identity(nope)]\n`",
        "`      field: claim_ts\n`|`pipelines[0].landing.partition-spec[0]: hour() needs a timestamp-millis or timestamp-micros field, field \"currency\" is \"string\"`|`      field: claim_ts\n    landing:\n      table-format: iceberg\n      partition-spec: [hour(currency)]\n`",
        "`      field: claim_ts\n`|`pipelines[0].landing.partition-spec[0]: bucket count must be at least 1, was \"bucket(0, account_id)\"`|`      field: claim_ts\n    landing:\n      table-format: iceberg\n      partition-spec: [\"bucket(0, account_id)\"]\n`",
        "`      field: claim_ts\n`|`pipelines[0].landing.format: must be parquet for an Iceberg table, was csv`|`      field: claim_ts\n    landing:\n      table-format: iceberg\n      format: csv\n`",
        "`      field: claim_ts\n`|`pipelines[0].landing.partition-by: is for Hive tables; an Iceberg table is partitioned by partition-spec alone ([day(claim_ts)]): remove partition-by`|`      field: claim_ts\n    landing:\n      table-format: iceberg\n      partition-by: [dt]\n      partition-spec: [day(claim_ts)]\n`",
        "`database: lake`|`catalog.maintenance.orphan-age: must be at least 1h (files landed but not yet committed look like orphans), was \"30m\"`|`database: lake\n  maintenance:\n    orphan-age: 30m`",
        "`database: lake`|`catalog.maintenance.target-file-size: must be a size from 1048576 to 1099511627776 bytes, like 16777216 or 16MiB, was \"1KiB\"`|`database: lake\n  maintenance:\n    target-file-size: 1KiB`",
        "`database: lake`|`catalog.maintenance.keep-snapshots: must be a whole number from 1 to 100000, was \"0\"`|`database: lake\n  maintenance:\n    keep-snapshots: 0`",
        "`database: lake`|`catalog.maintenance.interval: must be a positive duration like 100s (units ms, s, m, h, d), was \"0s\"`|`database: lake\n  maintenance:\n    interval: 0s`",
        "`      field: claim_ts\n`|`pipelines[0].landing.partition-spec[0]: identity() needs a string, int, long, enum or decimal field, field \"claim_ts\" is {\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}`|`      field: claim_ts\n    landing:\n      table-format: iceberg\n      partition-spec: [identity(claim_ts)]\n`",
    })
    void shouldReportExactlyThisProblem(String find, String expected, String replaceWith) {
        String from = find.replace("\\n", "\n");
        String yaml = BASE.replace(from, replaceWith.replace("\\n", "\n"));
        String parsed = yaml;

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(parsed));

        assertThat(e).as("no ConfigException for:\n%s", yaml).isNotNull();
        assertThat(e.problems()).containsExactly(expected);
    }

    @Test
    void shouldMapAHivePartitionByToTheEquivalentIcebergSpec() {
        TableFormatConfig formats = parse(BASE.replace("      field: claim_ts\n", "      field: claim_ts\n"
                + "    landing:\n      table-format: iceberg\n      partition-by: [dt, hour, {field: currency}]\n"))
                .tableFormats();

        assertThat(formats.iceberg("claims").partitionSpec()).containsExactly(new PartitionField("hour", "claim_ts", 0),
                new PartitionField("identity", "currency", 0));
        assertThat(formats.iceberg("claims").eventTime()).isEqualTo("claim_ts");
    }

    @Test
    void shouldReadMaintenanceSettingsWithSafeDefaults() {
        assertThat(parse(BASE).tableFormats().maintenance()).isEqualTo(MaintenanceConfig.DEFAULTS);
        MaintenanceConfig m = parse(BASE.replace("database: lake", "database: lake\n  maintenance:\n"
                + "    enabled: false\n    interval: 1h\n    target-file-size: 64MiB\n    row-group-size: 8MiB\n"
                + "    max-bytes-per-pass: 1GiB\n"
                + "    min-age: 10m\n    keep-snapshots: 3\n    keep-history: 2d\n    orphan-age: 5d"))
                .tableFormats().maintenance();

        assertThat(m).isEqualTo(new MaintenanceConfig(false, Duration.ofHours(1), 64L << 20, 8L << 20, 1L << 30,
                Duration.ofMinutes(10), 3, Duration.ofDays(2), Duration.ofDays(5)));
        assertThat(MaintenanceConfig.DEFAULTS.keepHistory()).as("a day of time travel").isEqualTo(Duration.ofDays(1));
    }

    @Test
    void shouldRequireAnIcebergCatalogForIcebergTables() {
        String yaml = BASE.replace("store: local", "store: local\n  table-format: iceberg").replace("type: local",
                "type: none");

        assertThat(catchThrowableOfType(ConfigException.class, () -> parse(yaml)).problems()).containsExactly(
                "catalog.type: must be glue or local when a table is an Iceberg table (tables claims, by_account)");
    }

    @Test
    void shouldListIcebergTablesInTheEffectiveConfig() {
        LakestreamConfig cfg = parse(BASE.replace("store: local", "store: local\n  table-format: iceberg"));

        assertThat(cfg.tableFormats().icebergTables().keySet()).containsExactlyInAnyOrder("claims", "by_account");
        assertThat(List.copyOf(cfg.tableFormats().icebergTables().values())).allSatisfy(t ->
                assertThat(t.partitionSpec()).hasSize(1));
    }
}
