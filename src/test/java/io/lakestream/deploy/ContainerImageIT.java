package io.lakestream.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.lakestream.demo.SampleClaims;
import io.lakestream.demo.SampleClaims.Claim;
import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.testing.DuckLake;
import io.lakestream.testing.MotoExtension;
import io.lakestream.testing.MotoServer;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The container image as it is shipped: built from the repository's Dockerfile (the runtime stage on a local Debian +
 * OpenJDK 17 base, with the jar Maven just built, since public registries are unreachable in CI), then run with its
 * own entrypoint under podman: {@code validate} of every shipped config, and {@code run --until-caught-up} of the
 * claims config against a Kafka broker and moto on the host network, with a read-only root file system. The lake
 * is read back by DuckDB, and the AWS requests the run made (moto's recorder) are compared with the ECS task role.
 *
 * <p>Needs podman and runc (as root) and the base image {@value #BASE_IMAGE}; {@code .ci/run} installs them and
 * {@code .ci/base-image.sh} makes the base. Missing either fails the test with what to run: nothing is skipped.
 */
@ExtendWith(MotoExtension.class)
class ContainerImageIT {

    static final String BASE_IMAGE = "localhost/debian-jre:17";
    private static final String IMAGE = "localhost/lakestream:it";
    private static final Path CONTAINERS_CONF = Path.of("src/test/resources/container/containers.conf");
    private static final String BUCKET = "container-it-lake";
    private static final String RAW = "onprem.claims.raw";
    /** A valid HMAC key for config/claims-protected.yaml (validate needs one; it is not a secret of anyone). */
    private static final String TEST_HASH_SECRET = "hex:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    private static EmbeddedKafka kafka;

    @TempDir
    Path tmp;

    @BeforeAll
    static void buildImage() throws Exception {
        if (!onPath("podman")) {
            fail("podman is not installed: as root, `apt-get update && apt-get install -y podman runc debootstrap`, "
                    + "then `.ci/base-image.sh` (.ci/run does both)");
        }
        if (podman(Duration.ofSeconds(30), "image", "exists", BASE_IMAGE).exit() != 0) {
            fail("the base image " + BASE_IMAGE + " is missing: run `.ci/base-image.sh` (as root; Debian bookworm + "
                    + "OpenJDK 17 from the Debian mirrors, cached in ~/.cache/lakestream)");
        }
        assertThat(ProductionJarIT.PRODUCTION_JAR).as("built by `mvn package`").exists();
        Result build = podman(Duration.ofMinutes(5), "build", "--build-arg", "JAR_FROM=prebuilt",
                "--build-arg", "RUNTIME_IMAGE=" + BASE_IMAGE, "--network", "host", "-t", IMAGE, "-f", "Dockerfile", ".");
        assertThat(build.exit()).as("podman build:%n%s", build.output()).isZero();
        // Each build leaves the previous image and the jar-only stage untagged: drop them, or CI's disk fills up.
        podman(Duration.ofMinutes(1), "image", "prune", "-f");
        // Its own broker: the container runs the shipped config, whose raw topic name other tests use too.
        kafka = EmbeddedKafka.start();
        kafka.createTopics(3, RAW);
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldValidateEveryShippedConfigInsideTheImage() throws Exception {
        Result listed = podman(Duration.ofMinutes(1), "run", "--rm", "--network", "host", "--entrypoint", "ls", IMAGE,
                "/etc/lakestream/config");
        List<String> shipped;
        try (Stream<Path> configs = Files.list(Path.of("config"))) {
            shipped = configs.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList();
        }
        assertThat(listed.output().lines().sorted().toList()).as("configs in the image").isEqualTo(shipped);
        for (String config : shipped) {
            Result validate = podman(Duration.ofMinutes(1), "run", "--rm", "--network", "host", "--read-only",
                    "-e", "CLAIMS_HASH_SECRET=" + TEST_HASH_SECRET, IMAGE, "validate", "--config",
                    "/etc/lakestream/config/" + config);
            assertThat(validate.exit()).as("validate %s in the image:%n%s", config, validate.output()).isZero();
        }
    }

    @Test
    void shouldLandTheClaimsPipelineThroughTheImage(MotoServer moto) throws Exception {
        S3Client s3 = moto.clients().s3();
        s3.createBucket(b -> b.bucket(BUCKET));
        Set<String> valid = produce(SampleClaims.generate(400, 600, 26));
        Path state = Files.createDirectories(tmp.resolve("state"));
        chownToAppUser(state);

        moto.startRecording();
        Result run = podman(Duration.ofMinutes(4), "run", "--rm", "--network", "host", "--read-only",
                "-v", state + ":/var/lib/lakestream",
                "-e", "KAFKA_BOOTSTRAP=" + kafka.bootstrapServers(), "-e", "LAKESTREAM_APP_ID=container-it",
                "-e", "LAKE_STORE=s3", "-e", "LAKE_BUCKET=" + BUCKET, "-e", "REGISTRY_TYPE=glue",
                "-e", "CATALOG_TYPE=glue", "-e", "AWS_REGION=" + MotoServer.REGION,
                "-e", "AWS_ENDPOINT_URL=" + moto.endpoint(), "-e", "AWS_ACCESS_KEY_ID=" + MotoServer.ACCESS_KEY,
                "-e", "AWS_SECRET_ACCESS_KEY=" + MotoServer.SECRET_KEY, "-e", "HTTP_PORT=0",
                IMAGE, "run", "--config", "/etc/lakestream/config/claims.yaml", "--until-caught-up", "--timeout", "3m");
        List<String> requests = moto.stopRecording();
        assertThat(run.exit()).as("run in the image:%n%s", run.output()).isZero();

        DuckLake lake = DuckLake.at(download(s3, tmp.resolve("lake")));
        List<String> landed = lake.query("SELECT _source_partition AS p, _source_offset AS o FROM read_parquet("
                        + "'{lake}/lakestream/claims/**/*.parquet', hive_partitioning=true)").stream()
                .map(r -> r.get("p") + ":" + r.get("o")).toList();
        assertThat(landed).as("each source offset once").doesNotHaveDuplicates();
        assertThat(new HashSet<>(landed)).as("exactly the valid claims").isEqualTo(valid);
        assertThat(lake.query("SELECT count(*) AS n FROM read_parquet('{lake}/lakestream/claims_by_account/**/*.parquet')"))
                .singleElement().satisfies(r -> assertThat(((Number) r.get("n")).longValue()).isPositive());

        TaskRoleActions.assertGrantedExactly(requests, BUCKET, "lakestream/");
    }

    /** Produces the claims to the raw topic; returns the "partition:offset" of the valid ones. */
    private static Set<String> produce(List<Claim> claims) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        Set<String> valid = new TreeSet<>();
        try (KafkaProducer<String, byte[]> producer =
                     new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (Claim c : claims) {
                sent.add(producer.send(new ProducerRecord<>(RAW, c.key(), c.value())));
            }
            for (int i = 0; i < claims.size(); i++) {
                RecordMetadata m = sent.get(i).get();
                if (claims.get(i).valid()) {
                    valid.add(m.partition() + ":" + m.offset());
                }
            }
        }
        return valid;
    }

    /** The bucket's objects, fetched with the plain SDK (not lakestream's store), into a folder for DuckDB. */
    private static Path download(S3Client s3, Path dir) throws IOException {
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents()) {
            Path file = dir.resolve(o.key());
            Files.createDirectories(file.getParent());
            s3.getObject(b -> b.bucket(BUCKET).key(o.key()), file);
        }
        return dir;
    }

    /** The image's app user (uid 10001) owns its state volume, as Fargate and a named volume arrange. */
    private static void chownToAppUser(Path dir) throws Exception {
        Process chown = new ProcessBuilder("chown", "10001:10001", dir.toString()).redirectErrorStream(true).start();
        assertThat(chown.waitFor(10, TimeUnit.SECONDS) && chown.exitValue() == 0).as("chown %s", dir).isTrue();
    }

    record Result(int exit, String output) {
    }

    static Result podman(Duration timeout, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("podman", "--runtime", "runc", "--cgroup-manager", "cgroupfs"));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("podman-", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("CONTAINERS_CONF", CONTAINERS_CONF.toAbsolutePath().toString());
            Process process = builder.start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail(String.join(" ", command) + " did not finish within " + timeout + ":\n" + Files.readString(log));
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static boolean onPath(String executable) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, executable)));
    }
}
