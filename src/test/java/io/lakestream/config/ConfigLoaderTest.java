package io.lakestream.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    @Test
    void shouldLoadTheClaimsExampleForALocalRunWithoutEnvironment() {
        LakestreamConfig c = ConfigLoader.load(Path.of("config/claims.yaml"), Map.of());

        assertThat(c.application().id()).isEqualTo("claims-lake");
        assertThat(c.application().processingGuarantee()).isEqualTo(ApplicationConfig.ProcessingGuarantee.EXACTLY_ONCE);
        assertThat(c.kafka()).containsEntry("bootstrap.servers", "localhost:9092");
        assertThat(c.registry().type()).isEqualTo("local");
        assertThat(c.registry().endpoint()).isNull();
        assertThat(c.lake().store()).isEqualTo(LakeConfig.Store.LOCAL);
        assertThat(c.lake().s3().bucket()).isNull();
        assertThat(c.lake().prefix()).isEqualTo("lakestream/");
        assertThat(c.catalog().type()).isEqualTo("local");
        assertThat(c.http().port()).isEqualTo(8080);
        assertThat(c.http().bindAddress()).as("all interfaces by default, for containers").isEqualTo("0.0.0.0");
        PipelineConfig p = c.pipelines().get(0);
        assertThat(p.schemaFile()).isEqualTo(Path.of("schemas/claim.avsc").toAbsolutePath());
        assertThat(p.key()).containsExactly("account_id");
        assertThat(p.fields()).containsEntry("account_id", "$.account.id");
        assertThat(p.outputTopic()).isEqualTo("claims.normalized");
        assertThat(p.dlqTopic()).isEqualTo("claims.dlq");
        assertThat(p.landing()).isEqualTo(new LandingConfig("claims", Duration.ofSeconds(100), Duration.ofSeconds(30),
                Duration.ofSeconds(60), List.of("dt", "hour"), FileFormat.PARQUET));
        AggregationConfig a = p.aggregations().get(0);
        assertThat(a.window()).isEqualTo(new AggregationConfig.WindowConfig(Duration.ofSeconds(100),
                Duration.ofSeconds(100), Duration.ofSeconds(30), Duration.ofSeconds(60)));
        assertThat(a.topic()).isEqualTo("claims.claims_by_account");
        assertThat(a.table()).isEqualTo("claims_by_account");
        assertThat(a.measures()).extracting(AggregationConfig.MeasureConfig::fn).containsExactly(
                AggregationConfig.MeasureFn.COUNT, AggregationConfig.MeasureFn.SUM, AggregationConfig.MeasureFn.MIN,
                AggregationConfig.MeasureFn.MAX, AggregationConfig.MeasureFn.AVG);
        assertThat(p.limits()).isEqualTo(new PipelineConfig.Limits(1 << 20, 32));
    }

    @Test
    void shouldResolveEveryRelativePathAgainstTheConfigFilesFolderAndKeepAbsoluteOnes() {
        Path folder = Path.of("config").toAbsolutePath();
        LakestreamConfig c = ConfigLoader.load(Path.of("config/claims.yaml"), Map.of("REGISTRY_DIR", "/srv/registry",
                "KAFKA_SSL_TRUSTSTORE_LOCATION", "tls/truststore.p12", "KAFKA_SSL_KEYSTORE_LOCATION",
                "/etc/tls/keystore.p12"));

        assertThat(c.application().stateDir()).isEqualTo(folder.resolveSibling("state"));
        assertThat(c.lake().localDir()).isEqualTo(folder.resolveSibling("lake"));
        assertThat(c.registry().localDir()).isEqualTo(Path.of("/srv/registry"));
        assertThat(c.pipelines().get(0).schemaFile()).isEqualTo(folder.resolveSibling("schemas/claim.avsc"));
        assertThat(c.kafka()).containsEntry("ssl.truststore.location", folder.resolve("tls/truststore.p12").toString())
                .containsEntry("ssl.keystore.location", "/etc/tls/keystore.p12");
    }

    @Test
    void shouldSwitchTheClaimsExampleToAwsThroughEnvironmentVariables() {
        LakestreamConfig c = ConfigLoader.load(Path.of("config/claims.yaml"), Map.of("REGISTRY_TYPE", "glue",
                "LAKE_STORE", "s3", "LAKE_BUCKET", "claims-lake-123", "CATALOG_TYPE", "glue", "AWS_REGION", "eu-west-1",
                "AWS_ENDPOINT_URL", "http://127.0.0.1:5000", "KAFKA_BOOTSTRAP", "k1:9093,k2:9093"));

        assertThat(c.registry().type()).isEqualTo("glue");
        assertThat(c.registry().region()).isEqualTo("eu-west-1");
        assertThat(c.lake().store()).isEqualTo(LakeConfig.Store.S3);
        assertThat(c.lake().s3().bucket()).isEqualTo("claims-lake-123");
        assertThat(c.lake().s3().endpoint()).hasToString("http://127.0.0.1:5000");
        assertThat(c.catalog().type()).isEqualTo("glue");
        assertThat(c.kafka()).containsEntry("bootstrap.servers", "k1:9093,k2:9093");
    }

    @Test
    void shouldLoadTheCsvExample() {
        PipelineConfig p = ConfigLoader.load(Path.of("config/payments-csv.yaml"), Map.of()).pipelines().get(0);

        assertThat(p.source().csv()).isEqualTo(new PipelineConfig.CsvOptions(false, ';', '"',
                List.of("id", "claim", "amount", "currency", "paid", "value_date", "reference")));
        assertThat(p.eventTime()).isEqualTo(new PipelineConfig.EventTimeConfig("paid_at", "pattern",
                "dd/MM/yyyy HH:mm:ss", "Europe/Paris"));
        assertThat(p.aggregations().get(0).window().size()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void shouldFillEveryDocumentedDefault() {
        LakestreamConfig c = ConfigLoader.parse(ConfigErrorsTest.VALID, Path.of("schemas"), Map.of(), "t");

        assertThat(c.application().commitInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.registry()).isEqualTo(new RegistryConfig("glue", null, null, "lakestream", "BACKWARD", true, true,
                Path.of("schemas/registry").toAbsolutePath()));
        assertThat(c.lake().format()).isEqualTo(FileFormat.PARQUET);
        assertThat(c.lake().compression()).isEqualTo("snappy");
        assertThat(c.lake().s3().sse()).isEqualTo("none");
        assertThat(c.lake().s3().multipartThreshold()).isEqualTo(16L << 20);
        assertThat(c.lake().localDir()).as("relative to the config's folder").isEqualTo(Path.of("schemas/lake")
                .toAbsolutePath());
        assertThat(c.pipelines().get(0).eventTime()).isEqualTo(new PipelineConfig.EventTimeConfig("claim_ts",
                "iso-8601", null, null));
        assertThat(c.pipelines().get(0).source().format()).isEqualTo(PipelineConfig.InputFormat.JSON);
    }

    @Test
    void shouldInterpolateVariablesDefaultsAndEscapesInValuesOnly() {
        String yaml = ConfigErrorsTest.VALID.replace("id: app", "id: ${APP}-${ENVIRONMENT:-dev}")
                .replace("bootstrap.servers: \"b:9092\"", "bootstrap.servers: \"b:9092\"\n  client.id: \"$${literal}\"\n"
                        + "  sasl.jaas.config: \"${JAAS}\"");

        LakestreamConfig c = ConfigLoader.parse(yaml, Path.of("schemas"), Map.of("APP", "claims", "ENVIRONMENT", "",
                "JAAS", "x required password=\"s3cret\";"), "t");

        assertThat(c.application().id()).isEqualTo("claims-dev");
        assertThat(c.kafka()).containsEntry("client.id", "${literal}")
                .containsEntry("sasl.jaas.config", "x required password=\"s3cret\";");
    }

    @Test
    void shouldPassKafkaSettingsThroughVerbatimAsText() {
        String yaml = ConfigErrorsTest.VALID.replace("bootstrap.servers: \"b:9092\"",
                "bootstrap.servers: \"b:9092\"\n  linger.ms: 5\n  enable.idempotence: true");

        assertThat(ConfigLoader.parse(yaml, Path.of("schemas"), Map.of(), "t").kafka())
                .containsEntry("linger.ms", "5").containsEntry("enable.idempotence", "true");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldMaskSecretsInTheEffectiveConfig() {
        String yaml = ConfigErrorsTest.VALID.replace("bootstrap.servers: \"b:9092\"", """
                bootstrap.servers: "b:9092"
                  ssl.keystore.password: pw1
                  ssl.key.password: pw2
                  ssl.keystore.key: "-----BEGIN PRIVATE KEY-----"
                  sasl.jaas.config: "x password=pw3;"
                  sasl.oauthbearer.token.endpoint.url: "https://idp/token"
                  security.protocol: SASL_SSL""");

        Map<String, Object> effective = ConfigLoader.masked(ConfigLoader.parse(yaml, Path.of("schemas"), Map.of(), "t"));

        Map<String, Object> kafka = (Map<String, Object>) effective.get("kafka");
        assertThat(kafka).containsEntry("ssl.keystore.password", "****").containsEntry("ssl.key.password", "****")
                .containsEntry("ssl.keystore.key", "****").containsEntry("sasl.jaas.config", "****")
                .containsEntry("sasl.oauthbearer.token.endpoint.url", "****")
                .containsEntry("security.protocol", "SASL_SSL").containsEntry("bootstrap.servers", "b:9092");
        assertThat(effective.toString()).doesNotContain("pw1", "pw2", "pw3", "PRIVATE");
        Map<String, Object> pipeline = ((List<Map<String, Object>>) effective.get("pipelines")).get(0);
        assertThat(pipeline).containsEntry("key", List.of("account_id")).containsEntry("output-topic",
                "claims.normalized");
        assertThat((Map<String, Object>) pipeline.get("landing")).containsEntry("window", "100s");
        assertThat((Map<String, Object>) effective.get("application")).containsEntry("processing-guarantee",
                "exactly-once");
    }
}
