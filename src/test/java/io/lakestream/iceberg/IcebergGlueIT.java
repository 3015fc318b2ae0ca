package io.lakestream.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.demo.SampleClaims;
import io.lakestream.demo.SampleClaims.Claim;
import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.runtime.LakestreamApp;
import io.lakestream.runtime.PortsFactory;
import io.lakestream.runtime.Schemas;
import io.lakestream.testing.MotoExtension;
import io.lakestream.testing.MotoServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The claims pipeline with {@code lake.table-format: iceberg} on AWS emulated by moto: a real Kafka broker, S3, the
 * Glue Data Catalog through Iceberg's GlueCatalog and S3FileIO, the Glue Schema Registry. The tables are read back with
 * Iceberg's generic reader and with DuckDB over exactly the Parquet files the current snapshot lists (downloaded);
 * the Glue table is checked to be an Iceberg table pointing at the current metadata file.
 */
@ExtendWith(MotoExtension.class)
class IcebergGlueIT {

    private static final String RAW = "onprem.claims.raw";
    private static final String BUCKET = "claims-iceberg-it";

    @TempDir
    Path tmp;
    private EmbeddedKafka kafka;
    private LakestreamApp app;

    @BeforeEach
    void startBroker() {
        kafka = EmbeddedKafka.start();
        kafka.createTopics(3, RAW);
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        kafka.close();
    }

    @Test
    void shouldCommitEveryValidClaimOnceToIcebergTablesInGlueReadableByIcebergAndDuckDb(MotoServer moto)
            throws Exception {
        moto.clients().s3().createBucket(b -> b.bucket(BUCKET));
        LakestreamConfig cfg = config(moto);
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        app = new LakestreamApp(cfg, Schemas.load(cfg), PortsFactory.create(cfg, metrics), metrics);
        app.start();
        List<Claim> claims = SampleClaims.generate(600, 1200, 9);
        Map<String, Claim> produced = IcebergClaims.produce(kafka, RAW, claims);
        app.awaitCaughtUp(Duration.ofMinutes(2));
        Map<String, Claim> valid = produced.entrySet().stream().filter(e -> e.getValue().valid())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));

        try (IcebergCatalogs.Opened catalog = IcebergCatalogs.open(cfg)) {
            // No waiting: a run that ends caught up has had every landed file committed.
            Table claimsTable = IcebergClaims.committed(catalog.catalog(), TableIdentifier.of("claims_lake", "claims"),
                    valid.size());
            IcebergClaims.verifyRecords(claimsTable, valid);
            assertThat(claimsTable.location()).isEqualTo("s3://" + BUCKET + "/lakestream/claims");
            assertThat(IcebergRows.files(claimsTable))
                    .allMatch(f -> f.startsWith("s3://" + BUCKET + "/lakestream/claims/data/claim_ts_hour="));
            Path local = tmp.resolve("download");
            IcebergClaims.verifyDuckDb(IcebergClaims.download(moto.clients().s3(), claimsTable, local), valid);
            assertThat(claimsTable.spec().fields()).extracting(f -> f.name() + "=" + f.transform())
                    .containsExactly("claim_ts_hour=hour");
            assertThat(claimsTable.currentSnapshot().summary()).containsKey(IcebergCommitter.LANDINGS_OFFSETS);

            software.amazon.awssdk.services.glue.model.Table glue = moto.clients().glue()
                    .getTable(r -> r.databaseName("claims_lake").name("claims")).table();
            assertThat(glue.parameters()).containsEntry("table_type", "ICEBERG")
                    .containsEntry("metadata_location", ((org.apache.iceberg.HasTableOperations) claimsTable)
                            .operations().current().metadataFileLocation());
        }
    }

    private LakestreamConfig config(MotoServer moto) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        env.put("LAKESTREAM_APP_ID", "iceberg-glue-it");
        env.put("LAKESTREAM_STATE_DIR", tmp.resolve("state").toString());
        env.put("LAKE_STORE", "s3");
        env.put("LAKE_BUCKET", BUCKET);
        env.put("REGISTRY_TYPE", "glue");
        env.put("CATALOG_TYPE", "glue");
        env.put("AWS_REGION", MotoServer.REGION);
        env.put("AWS_ENDPOINT_URL", moto.endpoint().toString());
        env.put("LAKE_TABLE_FORMAT", "iceberg");
        // Long enough that a caught-up run returning before the last commit would be seen (the rows are checked at once).
        env.put("CATALOG_COMMIT_INTERVAL", "8s");
        env.put("HTTP_PORT", "0");
        return ConfigLoader.load(Path.of("config/claims.yaml"), env);
    }
}
