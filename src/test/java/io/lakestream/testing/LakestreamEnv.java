package io.lakestream.testing;

import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment a test gives the {@code ${VAR}} references of a config file ({@code config/claims.yaml} and its
 * kin): Kafka, application id and state dir, then either the local adapters or S3 + Glue at a moto server. Loads
 * the config in-process, or renders it to a file for the CLI and for separate JVMs.
 */
public final class LakestreamEnv {

    private final Map<String, String> vars = new LinkedHashMap<>();

    private LakestreamEnv() {
    }

    /** Kafka at {@code bootstrapServers}, the application id, its state dir, the HTTP endpoints on a free port. */
    public static LakestreamEnv of(String bootstrapServers, String appId, Path stateDir) {
        return new LakestreamEnv().with("KAFKA_BOOTSTRAP", bootstrapServers).with("LAKESTREAM_APP_ID", appId)
                .with("LAKESTREAM_STATE_DIR", stateDir.toString()).with("HTTP_PORT", "0");
    }

    /** Kafka and the local adapters, with state, lake and registry in {@code workDir}'s state/, lake/, registry/. */
    public static LakestreamEnv inFolder(String bootstrapServers, String appId, Path workDir) {
        return of(bootstrapServers, appId, workDir.resolve("state"))
                .local(workDir.resolve("lake"), workDir.resolve("registry"));
    }

    /** The local adapters: the lake and the schema registry in folders. */
    public LakestreamEnv local(Path lakeDir, Path registryDir) {
        return with("LAKE_DIR", lakeDir.toString()).with("REGISTRY_DIR", registryDir.toString());
    }

    /** S3 (into {@code bucket}, which must exist), the Glue Data Catalog and Schema Registry of a moto server. */
    public LakestreamEnv aws(MotoServer moto, String bucket) {
        return aws(MotoServer.REGION, moto.endpoint(), bucket);
    }

    /** S3, the Glue Data Catalog and Schema Registry at {@code endpoint}. */
    public LakestreamEnv aws(String region, URI endpoint, String bucket) {
        return with("LAKE_STORE", "s3").with("LAKE_BUCKET", bucket).with("REGISTRY_TYPE", "glue")
                .with("CATALOG_TYPE", "glue").with("AWS_REGION", region)
                .with("AWS_ENDPOINT_URL", endpoint.toString());
    }

    /** Sets (or replaces) one variable. */
    public LakestreamEnv with(String name, String value) {
        vars.put(name, value);
        return this;
    }

    public LakestreamEnv withAll(Map<String, String> more) {
        vars.putAll(more);
        return this;
    }

    public Map<String, String> map() {
        return Map.copyOf(vars);
    }

    /** The config file resolved with these variables, as {@code run --config} would load it. */
    public LakestreamConfig load(Path configFile) {
        return ConfigLoader.load(configFile, vars);
    }

    /** @param baseDir the folder relative paths of the YAML (schemas) are resolved against */
    public LakestreamConfig parse(String yaml, Path baseDir) {
        return ConfigLoader.parse(yaml, baseDir, vars, "test.yaml");
    }

    /**
     * Writes a claims config for the CLI or a separate JVM: {@code yaml} with these variables filled in as
     * {@code workDir/config/claims.yaml}, and the claims schema where its {@code ../schemas/claim.avsc} points.
     */
    public Path writeClaimsConfig(String yaml, Path workDir) throws IOException {
        Path schema = workDir.resolve("schemas/claim.avsc");
        Files.createDirectories(schema.getParent());
        Files.copy(Path.of("schemas/claim.avsc"), schema, StandardCopyOption.REPLACE_EXISTING);
        return ConfigTemplates.render(yaml, "claims.yaml", vars, workDir.resolve("config/claims.yaml"));
    }

    /** Writes {@code template} with these variables filled in to {@code target}; see {@link ConfigTemplates}. */
    public Path render(Path template, Path target) throws IOException {
        return ConfigTemplates.render(template, vars, target);
    }
}
