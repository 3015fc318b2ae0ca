package io.lakestream.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.catalog.InMemoryCatalog;
import io.lakestream.catalog.PartitionSpec;
import io.lakestream.catalog.TableDefinition;
import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.port.Ports;
import io.lakestream.registry.InMemoryRegistry;
import io.lakestream.testing.DuckLake;
import io.lakestream.testing.TopologyDriver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

/**
 * {@code partition-by: [dt, hour, {field: currency}]} through the whole topology (TopologyTestDriver, in-memory
 * store and catalog), read back by DuckDB: every row lies in the folder of its own currency, each source offset
 * once, the catalog's partitions are exactly the objects' folders and its partition keys follow the layout.
 */
class FieldPartitionTest {

    static final String RAW = "onprem.claims.raw";
    static final String[] CURRENCIES = {"EUR", "USD", "GBP/X", ".."};
    static final Instant T0 = Instant.parse("2024-05-01T10:45:00Z");

    @Test
    void shouldLandEachRecordInTheFolderOfItsFieldValue() throws Exception {
        LakestreamConfig cfg = ConfigLoader.parse(Files.readString(Path.of("config/claims.yaml"))
                .replace("partition-by: [dt, hour]", "partition-by: [dt, hour, {field: currency}]"),
                Path.of("config"), Map.of(), "test");
        InMemoryObjectStore store = new InMemoryObjectStore();
        InMemoryCatalog catalog = new InMemoryCatalog();
        Ports ports = new Ports(new InMemoryRegistry(), store, catalog, new SimpleMeterRegistry());
        Map<Long, String> currencyByOffset = new HashMap<>();
        try (TopologyTestDriver driver = TopologyDriver.of(cfg, ports, RAW)) {
            TestInputTopic<String, String> raw = driver.createInputTopic(RAW, new StringSerializer(),
                    new StringSerializer());
            for (int i = 0; i < 200; i++) {
                String currency = CURRENCIES[i % 7 % CURRENCIES.length];
                currencyByOffset.put((long) i, currency);
                raw.pipeInput(null, "{\"account\":{\"id\":\"A-" + i % 5 + "\"},\"claimId\":\"C-" + i
                        + "\",\"amount\":\"12.50\",\"currency\":\"" + currency + "\",\"status\":\"OPEN\","
                        + "\"claimTs\":\"" + T0.plusSeconds(30L * i) + "\"}", T0.plusSeconds(30L * i));
            }
            driver.advanceWallClockTime(Duration.ofMinutes(5));
        }

        DuckLake lake = DuckLake.download(store, "lakestream/");
        List<Map<String, Object>> rows = lake.query("SELECT _source_offset AS o, currency, filename "
                + "FROM read_parquet('{lake}/lakestream/claims/**/*.parquet', filename=true, hive_partitioning=false)");
        assertThat(rows.stream().map(r -> ((Number) r.get("o")).longValue()).toList())
                .as("each source offset once").doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(currencyByOffset.keySet());
        for (Map<String, Object> r : rows) {
            String currency = currencyByOffset.get(((Number) r.get("o")).longValue());
            assertThat(r.get("currency")).isEqualTo(currency);
            assertThat(r.get("filename").toString()).contains("/currency=" + ObjectKeys.escape(currency) + "/");
        }

        List<String> keys = store.list("lakestream/claims/");
        assertThat(keys).anyMatch(k -> k.contains("/currency=GBP%2FX/")).anyMatch(k -> k.contains("/currency=%2E%2E/"))
                .allMatch(k -> k.matches("lakestream/claims/dt=2024-05-01/hour=\\d\\d/currency=[^/]+/[^/]+\\.parquet"));
        TableDefinition table = catalog.table("claims_lake", "claims");
        assertThat(table.partitionKeys()).containsExactly("dt", "hour", "currency");
        assertThat(table.columns()).extracting(TableDefinition.Column::name).doesNotContain("currency")
                .contains("account_id", "amount");
        Set<String> folders = keys.stream().map(k -> k.substring(0, k.lastIndexOf('/') + 1))
                .collect(Collectors.toSet());
        Set<String> cataloged = new HashSet<>();
        for (PartitionSpec p : catalog.partitions("claims_lake", "claims")) {
            assertThat(p.values().get(2)).isIn((Object[]) CURRENCIES);
            cataloged.add(p.location().substring(p.location().indexOf("lakestream/")));
        }
        assertThat(cataloged).isEqualTo(folders);
        assertThat(catalog.table("claims_lake", "claims_by_account").partitionKeys()).containsExactly("dt", "hour");
        assertThat(new String(store.read(keys.get(0)), 0, 4, StandardCharsets.US_ASCII)).isEqualTo("PAR1");
    }
}
