package io.lakestream.check;

import io.lakestream.config.ApplicationConfig;
import io.lakestream.config.CatalogConfig;
import io.lakestream.config.FileFormat;
import io.lakestream.config.HttpConfig;
import io.lakestream.config.LakeConfig;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.LandingConfig;
import io.lakestream.config.PipelineConfig;
import io.lakestream.config.RegistryConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds the configuration records {@code check} reads, claims pipeline defaults, one setting changed at a time. */
final class CheckConfigs {

    Map<String, String> kafka = new HashMap<>(Map.of("bootstrap.servers", "127.0.0.1:9"));
    String registryType = "glue";
    String registryName = "lakestream";
    boolean createRegistry;
    LakeConfig.Store store = LakeConfig.Store.S3;
    String bucket = "lake";
    String prefix = "lakestream/";
    Path localDir = Path.of("lake");
    String catalogType = "glue";
    String database = "claims_lake";
    URI endpoint;
    List<String> sourceTopics = List.of("claims.raw");
    String pipeline = "claims";

    CheckConfigs endpoint(URI endpoint) {
        this.endpoint = endpoint;
        return this;
    }

    CheckConfigs bootstrap(String bootstrap) {
        kafka.put("bootstrap.servers", bootstrap);
        return this;
    }

    LakestreamConfig build() {
        var landing = new LandingConfig(pipeline, Duration.ofSeconds(100), Duration.ofSeconds(30),
                Duration.ofSeconds(60), List.of("dt", "hour"), FileFormat.PARQUET);
        var claims = new PipelineConfig(pipeline,
                new PipelineConfig.SourceConfig(sourceTopics, PipelineConfig.InputFormat.JSON, null),
                Path.of("schemas/claim.avsc"), List.of("account_id"),
                new PipelineConfig.EventTimeConfig("claim_ts", "iso-8601", null, "UTC"), Map.of(),
                pipeline + ".normalized", pipeline + ".dlq", landing, List.of(),
                new PipelineConfig.Limits(1024 * 1024, 32));
        return new LakestreamConfig(
                new ApplicationConfig(pipeline + "-lake", Path.of("state"),
                        ApplicationConfig.ProcessingGuarantee.EXACTLY_ONCE, Duration.ofSeconds(1)),
                Map.copyOf(kafka),
                new RegistryConfig(registryType, "us-east-1", endpoint, registryName, "BACKWARD", true, createRegistry,
                        localDir.resolve("registry")),
                new LakeConfig(store, prefix, localDir, FileFormat.PARQUET, "snappy", new LakeConfig.S3Settings(
                        bucket, "us-east-1", endpoint, "none", null, null, 16L * 1024 * 1024)),
                new CatalogConfig(catalogType, database, "us-east-1", endpoint),
                new HttpConfig(0),
                List.of(claims));
    }
}
