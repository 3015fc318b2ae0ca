package io.lakestream.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.catalog.InMemoryCatalog;
import io.lakestream.catalog.PartitionSpec;
import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.port.Ports;
import io.lakestream.registry.InMemoryRegistry;
import io.lakestream.testing.DuckLake;
import io.lakestream.testing.TopologyDriver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

/**
 * {@code route-by} through the whole topology (TopologyTestDriver, in-memory store and catalog), read back by
 * DuckDB: each table holds exactly the records routed to it, each source offset lands once across all tables, each
 * table has its own catalog entry whose partitions are its objects' folders, and its own landing events.
 */
class TableRoutingTest {

    static final String RAW = "onprem.claims.raw";
    static final String[] CURRENCIES = {"EUR", "USD", "GBP", "CHF"};
    static final Map<String, String> ROUTES = Map.of("EUR", "claims_eur", "USD", "claims_usd");
    static final Instant T0 = Instant.parse("2024-05-01T10:45:00Z");

    @Test
    void shouldLandEachRecordInTheTableOfItsFieldValueOnce() throws Exception {
        LakestreamConfig cfg = ConfigLoader.parse(Files.readString(Path.of("config/claims.yaml"))
                        .replace("landing: { table: claims,", "landing: { table: claims_other, route-by: { field: "
                                + "currency, tables: { EUR: claims_eur, USD: claims_usd } },"),
                Path.of("config"), Map.of(), "test");
        InMemoryObjectStore store = new InMemoryObjectStore();
        InMemoryCatalog catalog = new InMemoryCatalog();
        Ports ports = new Ports(new InMemoryRegistry(), store, catalog, new SimpleMeterRegistry());
        Map<String, List<Long>> expected = new HashMap<>();
        List<String> landingEvents;
        try (TopologyTestDriver driver = TopologyDriver.of(cfg, ports, RAW)) {
            TestInputTopic<String, String> raw = driver.createInputTopic(RAW, new StringSerializer(),
                    new StringSerializer());
            for (int i = 0; i < 240; i++) {
                String currency = CURRENCIES[(i * 7 + i / 5) % CURRENCIES.length];
                expected.computeIfAbsent(ROUTES.getOrDefault(currency, "claims_other"), k -> new ArrayList<>())
                        .add((long) i);
                raw.pipeInput(null, "{\"account\":{\"id\":\"A-" + i % 5 + "\"},\"claimId\":\"C-" + i
                        + "\",\"amount\":\"12.50\",\"currency\":\"" + currency + "\",\"status\":\"OPEN\","
                        + "\"claimTs\":\"" + T0.plusSeconds(20L * i) + "\"}", T0.plusSeconds(20L * i));
            }
            driver.advanceWallClockTime(Duration.ofMinutes(5));
            landingEvents = driver.createOutputTopic(cfg.landingsTopic(), new StringDeserializer(),
                    new StringDeserializer()).readValuesToList();
        }

        DuckLake lake = DuckLake.download(store, "lakestream/");
        List<Long> all = new ArrayList<>();
        for (String table : List.of("claims_eur", "claims_usd", "claims_other")) {
            List<Map<String, Object>> rows = lake.query("SELECT _source_offset AS o, currency FROM read_parquet("
                    + "'{lake}/lakestream/" + table + "/**/*.parquet', hive_partitioning=true)");
            List<Long> offsets = rows.stream().map(r -> ((Number) r.get("o")).longValue()).toList();
            assertThat(offsets).as(table).containsExactlyInAnyOrderElementsOf(expected.get(table));
            all.addAll(offsets);

            Set<String> folders = store.list("lakestream/" + table + "/").stream()
                    .map(k -> k.substring(0, k.lastIndexOf('/') + 1)).collect(Collectors.toSet());
            Set<String> cataloged = catalog.partitions("claims_lake", table).stream().map(PartitionSpec::location)
                    .map(l -> l.substring(l.indexOf("lakestream/"))).collect(Collectors.toSet());
            assertThat(cataloged).as(table).isNotEmpty().isEqualTo(folders);
            assertThat(landingEvents.stream().map(LandingEvent::fromJson).filter(e -> e.table().equals(table))
                    .count()).as(table).isEqualTo(store.list("lakestream/" + table + "/").size());
        }
        assertThat(all).as("each source offset once across the tables").doesNotHaveDuplicates().hasSize(240);
        assertThat(store.list("lakestream/claims/")).isEmpty();
    }
}
