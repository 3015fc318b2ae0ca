package io.lakestream.cli;

import io.lakestream.demo.SampleClaims;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.testing.ConfigTemplates;
import io.lakestream.testing.EmbeddedKafkaExtension;
import io.lakestream.testing.LakestreamEnv;
import io.lakestream.testing.MotoExtension;
import io.lakestream.testing.MotoServer;
import io.lakestream.testing.RawProducer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The operator commands through the real command line: validate, check and infer-schema. */
@ExtendWith({EmbeddedKafkaExtension.class, MotoExtension.class})
class CliIT {

    @TempDir
    Path tmp;

    private EmbeddedKafka kafka;
    private String raw;

    @BeforeEach
    void createRawTopic(EmbeddedKafka broker, TestInfo test) {
        kafka = broker;
        raw = "cli." + test.getTestMethod().orElseThrow().getName() + ".raw";
        kafka.createTopics(2, raw);
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
        assertThat(ok.out()).contains("kafka").contains("topic " + raw).contains("store").contains("catalog");

        CommandOutput missing = run(() -> Main.execute("check", "--config", awsConfig(moto, "no-such-bucket").toString()));
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.out()).contains("FAIL").contains("bucket 'no-such-bucket' does not exist");
    }

    @Test
    void shouldInferASchemaWithDecimalsAndTimestampsFromARawTopic() throws Exception {
        RawProducer.sendClaims(kafka.bootstrapServers(), raw, SampleClaims.generate(300, 600, 9).stream()
                .filter(SampleClaims.Claim::valid).toList());
        Path avsc = tmp.resolve("claim.avsc");

        CommandOutput out = run(() -> Main.execute("infer-schema", "--bootstrap", kafka.bootstrapServers(), "--topic", raw,
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
        return LakestreamEnv.of(kafka.bootstrapServers(), "cli-it", tmp.resolve("state")).aws(moto, bucket)
                .writeClaimsConfig(ConfigTemplates.claims(Path.of("config/claims.yaml"), raw, "claims"), tmp);
    }

    private static CommandOutput run(Callable<Integer> command) throws Exception {
        return CommandOutput.run(command);
    }
}
