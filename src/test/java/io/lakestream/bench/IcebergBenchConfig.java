package io.lakestream.bench;

import io.lakestream.testing.ConfigTemplates;
import io.lakestream.testing.MotoServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The Iceberg benchmarks' config files: {@code config/claims.yaml} as shipped, with both tables as Iceberg tables, the
 * broker, moto or local folders of the run, and for the live benchmark its windows, grace, idle timeout, commit
 * interval and maintenance.
 */
final class IcebergBenchConfig {

    private static final Path TEMPLATE = Path.of("config/claims.yaml");

    private IcebergBenchConfig() {
    }

    /** @param moto null for the local catalog (and local registry and lake folder) */
    static Path render(IcebergBenchOptions o, Path work, String bootstrap, MotoServer moto, String bucket)
            throws IOException {
        Path file = iceberg(work, bootstrap, "bench-iceberg", o.commitInterval(), moto, bucket);
        String w = IcebergBenchOptions.seconds(o.window());
        String g = IcebergBenchOptions.seconds(o.grace());
        String idle = IcebergBenchOptions.seconds(o.idleTimeout());
        String yaml = Files.readString(file);
        yaml = replaceOnce(yaml, "landing: { table: claims, window: 100s, grace: 30s,",
                "landing: { table: claims, window: " + w + ", grace: " + g + ", idle-timeout: " + idle + ",");
        // The aggregation's window is the landing window: an aggregates file then holds one aggregation window.
        yaml = replaceOnce(yaml, "window: { size: 100s, grace: 30s }",
                "window: { size: " + w + ", grace: " + g + ", idle-timeout: " + idle + " }");
        if (o.maintenanceYaml() != null) {
            // the shipped file has no catalog.maintenance: its last catalog key is followed by the http section
            yaml = replaceOnce(yaml, "\nhttp:\n", "  " + o.maintenanceYaml() + "\n\nhttp:\n");
        }
        Files.writeString(file, yaml);
        return file;
    }

    /**
     * {@code config/claims.yaml} as shipped (100 s windows, 30 s grace) with both tables as Iceberg tables, written to
     * {@code work/claims-iceberg.yaml} with the schema's path made absolute.
     *
     * @param moto null for the local catalog (and local registry and lake folder)
     */
    static Path iceberg(Path work, String bootstrap, String applicationId, Duration commitInterval, MotoServer moto,
                        String bucket) throws IOException {
        Map<String, String> env = environment(work, bootstrap, applicationId, moto == null ? null
                : new EndToEndRun.S3Target(moto.endpoint(), MotoServer.REGION, bucket, MotoServer.ACCESS_KEY,
                        MotoServer.SECRET_KEY));
        env.putAll(icebergTables(commitInterval));
        Path file = ConfigTemplates.render(TEMPLATE, env, work.resolve("claims-iceberg.yaml"));
        Files.writeString(file, replaceOnce(Files.readString(file), "schema: ../schemas/claim.avsc",
                "schema: " + Path.of("schemas/claim.avsc").toAbsolutePath()));
        return file;
    }

    /**
     * The environment {@code config/claims.yaml} is read with for a run in {@code work}: its broker, application id,
     * state, lake and registry folders, no HTTP port; with {@code s3}, S3, the Glue Data Catalog and the Glue Schema
     * Registry at its endpoint instead of the local folders and catalog.
     *
     * @param s3 null for the local store, registry and catalog
     */
    static Map<String, String> environment(Path work, String bootstrap, String applicationId, EndToEndRun.S3Target s3) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP", bootstrap);
        env.put("LAKESTREAM_APP_ID", applicationId);
        env.put("LAKESTREAM_STATE_DIR", work.resolve("state").toAbsolutePath().toString());
        env.put("LAKE_DIR", work.resolve("lake").toAbsolutePath().toString());
        env.put("REGISTRY_DIR", work.resolve("registry").toAbsolutePath().toString());
        env.put("HTTP_PORT", "0");
        if (s3 != null) {
            env.put("LAKE_STORE", "s3");
            env.put("LAKE_BUCKET", s3.bucket());
            env.put("REGISTRY_TYPE", "glue");
            env.put("CATALOG_TYPE", "glue");
            env.put("AWS_REGION", s3.region());
            env.put("AWS_ENDPOINT_URL", s3.endpoint().toString());
        }
        return env;
    }

    /** The environment that makes every table of {@code config/claims.yaml} an Iceberg table. */
    static Map<String, String> icebergTables(Duration commitInterval) {
        return Map.of("LAKE_TABLE_FORMAT", "iceberg",
                "CATALOG_COMMIT_INTERVAL", IcebergBenchOptions.seconds(commitInterval));
    }

    /** Replaces the one occurrence of {@code from}; fails when the shipped config no longer has exactly one. */
    static String replaceOnce(String text, String from, String to) {
        int at = text.indexOf(from);
        if (at < 0 || text.indexOf(from, at + 1) >= 0) {
            throw new IllegalStateException(TEMPLATE + " changed: expected '" + from + "' exactly once");
        }
        return text.substring(0, at) + to + text.substring(at + from.length());
    }
}
