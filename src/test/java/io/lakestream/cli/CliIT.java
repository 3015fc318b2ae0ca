package io.lakestream.cli;

import io.lakestream.demo.SampleClaims;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.testing.ConfigTemplates;
import io.lakestream.testing.MotoExtension;
import io.lakestream.testing.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The operator commands through the real command line: validate, check and infer-schema. */
@ExtendWith(MotoExtension.class)
class CliIT {

    private static final String RAW = "onprem.claims.raw";

    @TempDir
    Path tmp;

    private EmbeddedKafka kafka;

    @BeforeEach
    void startBroker() {
        kafka = EmbeddedKafka.start();
        kafka.createTopics(2, RAW);
    }

    @AfterEach
    void stopBroker() {
        kafka.close();
    }

    @Test
    void shouldValidateTheExamplesAndNameTheYamlPathOfAnError() throws Exception {
        CommandOutput ok = run(() -> Main.execute("validate", "--config", "config/payments-csv.yaml"));
        assertThat(ok.exit()).isZero();
        assertThat(ok.out()).contains("pipeline payments: csv [onprem.payments.raw]").contains("OK");

        Path broken = tmp.resolve("broken.yaml");
        Files.writeString(broken, Files.readString(Path.of("config/payments-csv.yaml"))
                .replace("window: { size: 1h, grace: 5m }", "window: { size: soon, grace: 5m }")
                .replace("../schemas/payment.avsc", Path.of("schemas/payment.avsc").toAbsolutePath().toString()));
        CommandOutput bad = run(() -> Main.execute("validate", "--config", broken.toString()));
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("pipelines[0].aggregations[0].window.size: must be a positive duration like"
                + " 100s (units ms, s, m, h, d), was \"soon\"");
    }

    @Test
    void shouldPassCheckAgainstMotoAndTheBrokerAndFailItForAMissingBucket(MotoServer moto) throws Exception {
        moto.clients().s3().createBucket(b -> b.bucket("claims-lake-cli"));
        CommandOutput ok = run(() -> Main.execute("check", "--config", awsConfig(moto, "claims-lake-cli").toString()));
        assertThat(ok.exit()).as(ok.out()).isZero();
        assertThat(ok.out()).contains("kafka").contains("topic " + RAW).contains("store").contains("catalog");

        CommandOutput missing = run(() -> Main.execute("check", "--config", awsConfig(moto, "no-such-bucket").toString()));
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.out()).contains("FAIL").contains("bucket 'no-such-bucket' does not exist");
    }

    @Test
    void shouldInferASchemaWithDecimalsAndTimestampsFromARawTopic() throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer =
                     new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (SampleClaims.Claim c : SampleClaims.generate(300, 600, 9)) {
                if (c.valid()) {
                    producer.send(new ProducerRecord<>(RAW, c.key(), c.value()));
                }
            }
        }
        Path avsc = tmp.resolve("claim.avsc");

        CommandOutput out = run(() -> Main.execute("infer-schema", "--bootstrap", kafka.bootstrapServers(), "--topic", RAW,
                "--samples", "200", "--name", "Claim", "--out", avsc.toString()));

        assertThat(out.exit()).as(out.err()).isZero();
        Schema schema = new Schema.Parser().parse(avsc.toFile());
        assertThat(LogicalTypes.fromSchemaIgnoreInvalid(schema.getField("amount").schema()))
                .isInstanceOf(LogicalTypes.Decimal.class);
        assertThat(schema.getField("claim_ts").schema().getLogicalType())
                .isInstanceOf(LogicalTypes.TimestampMillis.class);
        assertThat(out.out()).contains("account_id: $.account.id");
    }

    private Path awsConfig(MotoServer moto, String bucket) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        env.put("LAKE_STORE", "s3");
        env.put("LAKE_BUCKET", bucket);
        env.put("REGISTRY_TYPE", "glue");
        env.put("CATALOG_TYPE", "glue");
        env.put("AWS_REGION", MotoServer.REGION);
        env.put("AWS_ENDPOINT_URL", moto.endpoint().toString());
        Files.createDirectories(tmp.resolve("schemas"));
        Files.copy(Path.of("schemas/claim.avsc"), tmp.resolve("schemas/claim.avsc"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return ConfigTemplates.render(Path.of("config/claims.yaml"), env, tmp.resolve("config/" + bucket + ".yaml"));
    }

    private static CommandOutput run(Callable<Integer> command) throws Exception {
        return CommandOutput.run(command);
    }
}
