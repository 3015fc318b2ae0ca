package io.lakestream.cli;

import io.lakestream.demo.SampleClaims;
import io.lakestream.runtime.PortsFactory;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.testing.ConfigTemplates;
import io.lakestream.testing.DuckLake;
import io.lakestream.testing.EmbeddedKafkaExtension;
import io.lakestream.testing.LakestreamJvm;
import io.lakestream.testing.RawProducer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scheduled run started from another directory: {@code config/claims.yaml} as shipped (relative {@code ../lake},
 * {@code ../state}, {@code ../registry}, {@code ../schemas}) in a project folder, and {@code check}, {@code validate}
 * and {@code run} launched as processes whose working directory is elsewhere. Every path starts at the config
 * file's folder, and nothing appears in the working directory.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class RelativePathsIT {

    @TempDir
    Path tmp;

    @Test
    void shouldFindTheSameLakeStateAndRegistryWhateverTheWorkingDirectory(EmbeddedKafka kafka) throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        String raw = "relative-paths.raw";
        kafka.createTopics(2, raw);
        Path config = shippedConfig(project, "relative", raw, Map.of("KAFKA_BOOTSTRAP", kafka.bootstrapServers()));
        String configArg = "../project/config/claims.yaml";
        List<SampleClaims.Claim> claims = SampleClaims.generate(150, 300, 5);
        RawProducer.sendClaims(kafka.bootstrapServers(), raw, claims);

        CommandOutput validate = CommandOutput.run(() -> Main.execute("validate", "--config", config.toString(),
                "--effective"));
        assertThat(validate.exit()).as(validate.out()).isZero();
        assertThat(validate.out()).as("absolute paths, in the project").contains(project.resolve("state") + "\"",
                project.resolve("lake") + "\"", project.resolve("registry") + "\"",
                project.resolve("schemas/claim.avsc") + "\"");

        LakestreamJvm.Result check = launch(elsewhere, "check", "--config", configArg, "--timeout", "30s");
        assertThat(check.output()).contains("lake folder " + project.resolve("lake") + " does not exist yet");
        assertThat(contents(project)).as("check creates nothing").containsOnly("config", "config/claims.yaml",
                "schemas", "schemas/claim.avsc");

        LakestreamJvm.Result run = launch(elsewhere, "run", "--config", configArg, "--until-caught-up", "--timeout", "2m");
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(contents(elsewhere)).as("nothing in the working directory").isEmpty();
        assertThat(project.resolve("state")).isDirectory();
        assertThat(project.resolve("registry")).isDirectory();
        LakestreamConfig cfg = ConfigLoader.load(config);
        DuckLake lake = DuckLake.download(PortsFactory.store(cfg), "lakestream/claims/");
        long valid = claims.stream().filter(SampleClaims.Claim::valid).count();
        assertThat(lake.query("SELECT count(*) AS n FROM read_parquet('{lake}/lakestream/claims/**/*.parquet')")
                .get(0).get("n")).as("every valid claim, in the lake beside config/").isEqualTo(valid);
    }

    /** Kafka unreachable, Iceberg tables on the local catalog: before, this created lake/iceberg-catalog.db. */
    @Test
    void shouldCreateNoLakeWhenCheckFailsFromAnotherDirectory() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        shippedConfig(project, "relative-check", "relative-check.raw", Map.of("KAFKA_BOOTSTRAP",
                "127.0.0.1:" + closed, "LAKE_TABLE_FORMAT", "iceberg"));

        LakestreamJvm.Result check = launch(elsewhere, "check", "--config", "../project/config/claims.yaml", "--timeout", "15s",
                "--sample", "10");

        assertThat(check.exit()).as(check.output()).isNotZero();
        assertThat(check.output()).contains("Iceberg JDBC catalog " + project.resolve("lake/iceberg-catalog.db")
                + " does not exist yet");
        assertThat(contents(project)).as("check creates nothing").containsOnly("config", "config/claims.yaml",
                "schemas", "schemas/claim.avsc");
        assertThat(contents(elsewhere)).isEmpty();
    }

    /** The shipped config with only the environment a user would set; config/ and schemas/ side by side. */
    private static Path shippedConfig(Path project, String appId, String raw, Map<String, String> env)
            throws IOException {
        Files.createDirectories(project.resolve("schemas"));
        Files.copy(Path.of("schemas/claim.avsc"), project.resolve("schemas/claim.avsc"));
        String yaml = ConfigTemplates.claims(Path.of("config/claims.yaml"), raw, appId).replace("${LAKESTREAM_APP_ID:-claims-lake}", appId).replace("${HTTP_PORT:-8080}", "0");
        for (Map.Entry<String, String> e : env.entrySet()) {
            yaml = yaml.replaceAll("\\$\\{" + e.getKey() + ":-[^}]*}", e.getValue());
        }
        Path file = Files.createDirectories(project.resolve("config")).resolve("claims.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    /** {@code lakestream ARGS} as a separate process whose working directory is {@code cwd}. */
    private LakestreamJvm.Result launch(Path cwd, String... args) throws IOException, InterruptedException {
        return LakestreamJvm.command(args).directory(cwd).log(tmp.resolve("process-" + System.nanoTime() + ".log"))
                .run(Duration.ofMinutes(3));
    }

    /** Every path under {@code dir}, relative, with '/' separators. */
    private static List<String> contents(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }

}
