package io.lakestream.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.ConfigLoader;
import io.lakestream.demo.SampleClaims.Claim;
import io.lakestream.demo.SampleClaims;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.demo.SampleClaims;
import io.lakestream.demo.SampleClaims.Claim;
import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.runtime.LakestreamApp;
import io.lakestream.runtime.PortsFactory;
import io.lakestream.runtime.Schemas;
import io.lakestream.testing.AppUnderTest;
import io.lakestream.testing.ConfigTemplates;
import io.lakestream.testing.EmbeddedKafkaExtension;
import io.lakestream.testing.LakestreamEnv;
import io.lakestream.testing.MotoExtension;
import io.lakestream.testing.MotoServer;
import io.lakestream.testing.RawProducer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The claims pipeline with {@code lake.table-format: iceberg} on AWS emulated by moto: a real Kafka broker, S3, the
 * Glue Data Catalog through Iceberg's GlueCatalog and S3FileIO, the Glue Schema Registry. The tables are read back with
 * Iceberg's generic reader and with DuckDB over exactly the Parquet files the current snapshot lists (downloaded);
 * the Glue table is checked to be an Iceberg table pointing at the current metadata file.
 */
@ExtendWith({EmbeddedKafkaExtension.class, MotoExtension.class})
class IcebergGlueIT {

    private static final String RAW = "iceberg_glue.claims.raw";
    private static final String BUCKET = "claims-iceberg-it";

    @TempDir
    Path tmp;
    @Test
    void shouldCommitEveryValidClaimOnceToIcebergTablesInGlueReadableByIcebergAndDuckDb(EmbeddedKafka kafka,
            MotoServer moto) throws Exception {
        moto.clients().s3().createBucket(b -> b.bucket(BUCKET));
        kafka.createTopics(3, RAW);
        LakestreamConfig cfg = config(kafka, moto);
        Map<String, Claim> produced;
        try (AppUnderTest app = AppUnderTest.of(cfg)) {
            app.start();
            produced = RawProducer.sendClaims(kafka.bootstrapServers(), RAW, SampleClaims.generate(600, 1200, 9));
            app.app().awaitCaughtUp(Duration.ofMinutes(2));
        }
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

    /** A commit interval long enough that a caught-up run returning before the last commit would be seen. */
    private LakestreamConfig config(EmbeddedKafka kafka, MotoServer moto) throws Exception {
        return LakestreamEnv.of(kafka.bootstrapServers(), "iceberg-glue-it", tmp.resolve("state"))
                .aws(moto, BUCKET).with("LAKE_TABLE_FORMAT", "iceberg").with("CATALOG_COMMIT_INTERVAL", "8s")
                .parse(ConfigTemplates.claims(Path.of("config/claims.yaml"), RAW, "iceberg_glue"), Path.of("config"));
    }
}
