package io.lakestream.runtime;

import io.lakestream.demo.SampleClaims;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakestream.config.ConfigLoader;
import io.lakestream.demo.SampleClaims.Claim;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.demo.SampleClaims.Claim;
import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.port.ObjectStore;
import io.lakestream.sink.ObjectKeys;
import io.lakestream.port.ObjectStore;
import io.lakestream.testing.AppUnderTest;
import io.lakestream.testing.ConfigTemplates;
import io.lakestream.testing.DuckLake;
import io.lakestream.testing.EmbeddedKafkaExtension;
import io.lakestream.testing.LakestreamEnv;
import io.lakestream.testing.MotoExtension;
import io.lakestream.testing.MotoServer;
import io.lakestream.testing.RawProducer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.Partition;
import software.amazon.awssdk.services.glue.model.Table;

/**
 * The claims pipeline routed by status to three tables and partitioned by currency, on a real broker and moto
 * (S3, Glue catalog, Glue Schema Registry), read back by DuckDB: each table holds exactly the claims routed to it,
 * each source offset once across the tables, every row in the folder of its currency, and each table's Glue
 * partitions exactly its objects' folders.
 */
@ExtendWith({EmbeddedKafkaExtension.class, MotoExtension.class})
class RoutedPartitionedClaimsIT {

    private static final String RAW = "routed.claims.raw";
    private static final String BUCKET = "routed-lake-it";
    private static final String DATABASE = "claims_lake";
    private static final Map<String, String> ROUTES = Map.of("REJECTED", "claims_rejected", "PAID", "claims_paid");
    private static final List<String> TABLES = List.of("claims_rejected", "claims_paid", "claims_other");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void shouldLandEachClaimOnceInItsTableAndCurrencyFolder(EmbeddedKafka kafka, MotoServer moto) throws Exception {
        moto.clients().s3().createBucket(b -> b.bucket(BUCKET));
        Map<String, JsonNode> validBySource = new HashMap<>();
        kafka.createTopics(3, RAW);
        LakestreamConfig cfg = config(kafka, moto);
        try (AppUnderTest app = AppUnderTest.of(cfg)) {
            app.start();
            produce(kafka, SampleClaims.generate(900, 1200, 16), validBySource);
            app.app().awaitCaughtUp(Duration.ofMinutes(3));
        }
        verify(moto, cfg, validBySource);
    }

    private void verify(MotoServer moto, LakestreamConfig cfg, Map<String, JsonNode> valid) throws Exception {
        ObjectStore store = PortsFactory.store(cfg);
        DuckLake lake = DuckLake.download(store, "lakestream/");
        GlueClient glue = moto.clients().glue();
        Set<String> landed = new HashSet<>();
        for (String table : TABLES) {
            List<Map<String, Object>> rows = lake.query("SELECT _source_partition AS p, _source_offset AS o, "
                    + "currency, CAST(status AS VARCHAR) AS status, filename FROM read_parquet('{lake}/lakestream/"
                    + table + "/**/*.parquet', filename=true, hive_partitioning=false)");
            Set<String> sources = new HashSet<>();
            for (Map<String, Object> r : rows) {
                String source = r.get("p") + ":" + r.get("o");
                assertThat(landed.add(source)).as("%s once across the tables", source).isTrue();
                sources.add(source);
                JsonNode claim = valid.get(source);
                assertThat(claim).as("%s is a valid claim", source).isNotNull();
                assertThat(r.get("currency")).isEqualTo(claim.get("currency").asText());
                assertThat(r.get("filename").toString()).contains("/currency="
                        + ObjectKeys.escape(claim.get("currency").asText()) + "/");
            }
            Set<String> routedHere = valid.entrySet().stream()
                    .filter(e -> ROUTES.getOrDefault(e.getValue().get("status").asText(), "claims_other").equals(table))
                    .map(Map.Entry::getKey).collect(Collectors.toSet());
            assertThat(sources).as("exactly the claims routed to %s", table).isNotEmpty().isEqualTo(routedHere);

            Table t = glue.getTable(r -> r.databaseName(DATABASE).name(table)).table();
            assertThat(t.partitionKeys()).extracting(Column::name).containsExactly("dt", "hour", "currency");
            assertThat(t.storageDescriptor().columns()).extracting(Column::name).doesNotContain("currency")
                    .contains("account_id", "amount");
            Set<List<String>> partitions = glue.getPartitionsPaginator(r -> r.databaseName(DATABASE).tableName(table))
                    .stream().flatMap(page -> page.partitions().stream()).map(Partition::values)
                    .collect(Collectors.toSet());
            Set<List<String>> withObjects = store.list("lakestream/" + table + "/").stream()
                    .map(k -> k.split("/")).map(s -> List.of(s[2].substring(3), s[3].substring(5), s[4].substring(9)))
                    .collect(Collectors.toSet());
            assertThat(partitions).as("catalog partitions of %s = its objects' folders", table).isEqualTo(withObjects);
        }
        assertThat(landed).as("every valid claim landed").isEqualTo(valid.keySet());
    }

    private LakestreamConfig config(EmbeddedKafka kafka, MotoServer moto) throws Exception {
        String yaml = ConfigTemplates.claims(Path.of("config/claims.yaml"), RAW, "routed").replace(
                "landing: { table: claims, window: 100s, grace: 30s, partition-by: [dt, hour] }",
                "landing:\n      table: claims_other\n      partition-by: [dt, hour, {field: currency}]\n"
                        + "      route-by: { field: status, tables: { REJECTED: claims_rejected, PAID: claims_paid } }");
        assertThat(yaml).contains("route-by");
        return LakestreamEnv.of(kafka.bootstrapServers(), "routed-it", tmp.resolve("state")).aws(moto, BUCKET)
                .parse(yaml, Path.of("config"));
    }

    private static void produce(EmbeddedKafka kafka, List<Claim> claims, Map<String, JsonNode> valid)
            throws Exception {
        for (Map.Entry<String, Claim> sent : RawProducer.sendClaims(kafka.bootstrapServers(), RAW, claims)
                .entrySet()) {
            if (sent.getValue().valid()) {
                valid.put(sent.getKey(), JSON.readTree(sent.getValue().value()));
            }
        }
    }
}
