package io.lakestream.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.check.CheckResult.Status;
import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.testing.EmbeddedKafkaExtension;
import io.lakestream.testing.MotoExtension;
import io.lakestream.testing.MotoServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;

@ExtendWith({MotoExtension.class, EmbeddedKafkaExtension.class})
class ConnectionCheckIT {

    private MotoServer moto;
    private EmbeddedKafka kafka;
    private CheckConfigs config;

    @BeforeEach
    void setUp(MotoServer moto, EmbeddedKafka kafka) {
        this.moto = moto;
        this.kafka = kafka;
        // The broker is shared by the whole run: topics of this test get names of their own.
        String pipeline = "claims" + UUID.randomUUID().toString().substring(0, 8);
        config = new CheckConfigs().endpoint(moto.endpoint()).bootstrap(kafka.bootstrapServers());
        config.pipeline = pipeline;
        config.sourceTopics = List.of(pipeline + ".raw");
    }

    private void createEverything() {
        try (S3Client s3 = moto.clients().s3(); var glue = moto.clients().glue()) {
            s3.createBucket(b -> b.bucket(config.bucket));
            glue.createDatabase(b -> b.databaseInput(d -> d.name(config.database)));
        }
        moto.clients().createSchemaRegistryIfAbsent(config.registryName);
        kafka.createTopics(2, config.sourceTopics.get(0), config.pipeline + ".normalized");
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(config.sourceTopics.get(0), "acc-1", "{\"claimId\":\"c-1\"}"));
        }
    }

    @Test
    void shouldPassEveryCheckAgainstMotoAndTheEmbeddedBroker() {
        createEverything();

        List<CheckResult> results = ConnectionCheck.run(config.build());

        assertThat(results).extracting(CheckResult::name).containsExactly("kafka",
                "topic " + config.pipeline + ".raw", "topic " + config.pipeline + ".normalized",
                "topic " + config.pipeline + ".dlq", "topic " + config.pipeline + "-lake.landings",
                "registry", "store", "catalog");
        assertThat(status(results, "kafka")).isEqualTo(Status.OK);
        assertThat(result(results, "topic " + config.pipeline + ".raw").detail())
                .contains("2 partition(s)", "read the last record");
        assertThat(status(results, "topic " + config.pipeline + ".normalized")).isEqualTo(Status.OK);
        assertThat(result(results, "topic " + config.pipeline + ".dlq"))
                .extracting(CheckResult::status, CheckResult::detail)
                .containsExactly(Status.WARN, "DLQ of pipeline " + config.pipeline + ": does not exist yet");
        assertThat(status(results, "registry")).isEqualTo(Status.OK);
        assertThat(result(results, "store").detail()).startsWith("wrote and deleted s3://lake/lakestream/_lakestream_check/");
        assertThat(status(results, "catalog")).isEqualTo(Status.OK);
        assertThat(CheckReport.exitCode(results)).isZero();
        try (S3Client s3 = moto.clients().s3()) {
            assertThat(s3.listObjectsV2(b -> b.bucket(config.bucket)).contents()).as("probe object deleted").isEmpty();
        }
    }

    @Test
    void shouldFailKafkaNamingTheBootstrapServerWhenItsPortIsClosed() throws IOException {
        createEverything();
        String closed = "127.0.0.1:" + closedPort();
        config.bootstrap(closed);

        long start = System.nanoTime();
        List<CheckResult> results = ConnectionCheck.run(config.build());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        CheckResult kafkaResult = result(results, "kafka");
        assertThat(kafkaResult.status()).isEqualTo(Status.FAIL);
        assertThat(kafkaResult.detail()).contains(closed, "Connection refused");
        assertThat(kafkaResult.hint()).contains("kafka.bootstrap.servers");
        assertThat(result(results, "topic " + config.pipeline + ".raw").status()).isEqualTo(Status.SKIPPED);
        assertThat(took).isLessThan(Duration.ofSeconds(15));
        assertThat(CheckReport.exitCode(results)).isEqualTo(1);
    }

    @Test
    void shouldFailStoreNamingTheBucketWhenItIsMissing() {
        createEverything();
        config.bucket = "no-such-lake";

        List<CheckResult> results = ConnectionCheck.run(config.build());

        CheckResult store = result(results, "store");
        assertThat(store.status()).isEqualTo(Status.FAIL);
        assertThat(store.detail()).contains("bucket 'no-such-lake' does not exist");
        assertThat(store.hint()).contains("aws s3 mb s3://no-such-lake");
        assertThat(CheckReport.exitCode(results)).isEqualTo(1);
    }

    @Test
    void shouldFailRegistryNamingItWhenItIsMissingAndNotToBeCreated() {
        createEverything();
        config.registryName = "no-such-registry";

        List<CheckResult> results = ConnectionCheck.run(config.build());

        CheckResult registry = result(results, "registry");
        assertThat(registry.status()).isEqualTo(Status.FAIL);
        assertThat(registry.detail()).contains("Glue schema registry 'no-such-registry' does not exist");
        assertThat(registry.hint()).contains("registry.create-registry: true");
        assertThat(CheckReport.exitCode(results)).isEqualTo(1);
    }

    @Test
    void shouldPassAMissingRegistryAndDatabaseThatWillBeCreatedAtStart() {
        createEverything();
        config.registryName = "created-at-start";
        config.createRegistry = true;
        config.database = "created_at_start";

        List<CheckResult> results = ConnectionCheck.run(config.build());

        assertThat(result(results, "registry")).extracting(CheckResult::status, CheckResult::detail)
                .satisfies(r -> assertThat(r.get(0)).isEqualTo(Status.OK))
                .satisfies(r -> assertThat((String) r.get(1)).contains("will be created"));
        assertThat(result(results, "catalog")).extracting(CheckResult::status, CheckResult::detail)
                .satisfies(r -> assertThat(r.get(0)).isEqualTo(Status.OK))
                .satisfies(r -> assertThat((String) r.get(1)).contains("'created_at_start' does not exist yet"));
        assertThat(CheckReport.exitCode(results)).isZero();
    }

    @Test
    void shouldWarnWhenASourceTopicsRetentionIsTooShortForReplay() throws Exception {
        createEverything();
        try (var admin = kafka.admin()) {
            var topic = new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, config.sourceTopics.get(0));
            admin.incrementalAlterConfigs(Map.of(topic, List.of(new org.apache.kafka.clients.admin.AlterConfigOp(
                    new org.apache.kafka.clients.admin.ConfigEntry("retention.ms", "600000"),
                    org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET)))).all().get();
        }

        List<CheckResult> results = ConnectionCheck.run(config.build());

        // window 100s + grace 30s + idle 60s, three times, is under the floor of an hour
        assertThat(result(results, "retention " + config.sourceTopics.get(0)))
                .extracting(CheckResult::status, CheckResult::detail)
                .containsExactly(Status.WARN, "retention.ms 600000 (PT10M) is shorter than PT1H: a restart with "
                        + "windows open longer than that cannot rebuild them from the topic, and they land "
                        + "without the deleted records");
        assertThat(results).extracting(CheckResult::name)
                .doesNotContain("retention " + config.pipeline + ".normalized");
        assertThat(CheckReport.exitCode(results)).isZero();
    }

    @Test
    void shouldFailTopicWhenASourceTopicIsMissing() {
        createEverything();
        String missing = config.pipeline + ".missing";
        config.sourceTopics = List.of(config.sourceTopics.get(0), missing);

        List<CheckResult> results = ConnectionCheck.run(config.build());

        assertThat(result(results, "topic " + missing)).extracting(CheckResult::status, CheckResult::detail)
                .containsExactly(Status.FAIL, "source of pipeline " + config.pipeline + ": topic " + missing
                        + " does not exist");
        assertThat(status(results, "topic " + config.sourceTopics.get(0))).isEqualTo(Status.OK);
        assertThat(CheckReport.exitCode(results)).isEqualTo(1);
    }

    @Test
    void shouldNameEachProblemWhenBootstrapBucketAndRegistryAreAllWrong() throws IOException {
        createEverything();
        config.bootstrap("127.0.0.1:" + closedPort());
        config.bucket = "no-such-lake";
        config.registryName = "no-such-registry";

        List<CheckResult> results = ConnectionCheck.run(config.build());
        String table = CheckReport.render(results);

        assertThat(table).containsPattern("kafka +FAIL +cannot connect to any bootstrap server")
                .containsPattern("store +FAIL +bucket 'no-such-lake' does not exist")
                .containsPattern("registry +FAIL +Glue schema registry 'no-such-registry' does not exist")
                .containsPattern("catalog +OK");
        assertThat(CheckReport.exitCode(results)).isEqualTo(1);
    }

    @Test
    void shouldFailEveryAwsCheckNamingTheEndpointWhenNothingListensThere() throws IOException {
        createEverything();
        config.endpoint(java.net.URI.create("http://127.0.0.1:" + closedPort()));

        List<CheckResult> results = ConnectionCheck.run(config.build());

        for (String name : List.of("registry", "store", "catalog")) {
            CheckResult r = result(results, name);
            assertThat(r.status()).as(name).isEqualTo(Status.FAIL);
            assertThat(r.detail() + " " + r.hint()).as(name).contains(config.endpoint.toString())
                    .contains(name.equals("store") ? "lake.endpoint" : name + ".endpoint");
        }
    }

    @Test
    void shouldNotShowTheSaslPasswordWhenAuthenticationFails() {
        createEverything();
        String password = "pw-" + UUID.randomUUID();
        config.kafka.put("security.protocol", "SASL_PLAINTEXT");
        config.kafka.put("sasl.mechanism", "PLAIN");
        config.kafka.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " username=\"lake\" password=\"" + password + "\";");

        List<CheckResult> results = ConnectionCheck.run(config.build());
        String table = CheckReport.render(results);

        assertThat(status(results, "kafka")).isEqualTo(Status.FAIL);
        assertThat(table).doesNotContain(password).doesNotContain("PlainLoginModule");
    }

    private static CheckResult result(List<CheckResult> results, String name) {
        return results.stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no result " + name + " in " + results));
    }

    private static Status status(List<CheckResult> results, String name) {
        return result(results, name).status();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
