package io.lakestream.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.cli.Main;
import io.lakestream.testing.MotoExtension;
import io.lakestream.testing.MotoServer;
import io.lakestream.testing.SecureKafka;
import io.lakestream.testing.SecureKafkaExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole output of the {@code check} command (stdout and stderr, as an operator pastes it into a ticket) for a
 * config full of secrets (SASL JAAS password, truststore, keystore and key passwords), when every check passes,
 * when Kafka authentication fails, and when the config itself is invalid: no secret is ever printed. The
 * {@code check} package's own tests cover one secret per probe; this covers the command end to end.
 */
@ExtendWith({MotoExtension.class, SecureKafkaExtension.class})
class CheckOutputSecretsIT {

    private static final String BUCKET = "check-secrets";

    @TempDir
    Path tmp;

    @Test
    void shouldPrintNoSecretWhenEveryCheckPasses(MotoServer moto, SecureKafka kafka) throws IOException {
        moto.clients().s3().createBucket(b -> b.bucket(BUCKET));
        kafka.broker().createTopics(1, "check.claims.raw");
        Map<String, String> client = secureClient(kafka, kafka.scramPassword());

        Output out = check(config(client, moto, BUCKET));

        assertThat(out.exitCode).as(out.text).isZero();
        assertThat(out.text).contains("kafka").doesNotContain(secrets(kafka, kafka.scramPassword()));
    }

    @Test
    void shouldPrintNoSecretWhenKafkaAuthenticationFails(MotoServer moto, SecureKafka kafka) throws IOException {
        moto.clients().s3().createBucket(b -> b.bucket(BUCKET));
        String wrong = "wrong-" + UUID.randomUUID();

        Output out = check(config(secureClient(kafka, wrong), moto, BUCKET));

        assertThat(out.exitCode).as(out.text).isEqualTo(1);
        assertThat(out.text).containsIgnoringCase("auth").doesNotContain(secrets(kafka, wrong))
                .doesNotContain("ScramLoginModule");
    }

    @Test
    void shouldPrintNoSecretWhenTheConfigIsInvalid(MotoServer moto, SecureKafka kafka) throws IOException {
        Map<String, String> client = secureClient(kafka, kafka.scramPassword());
        client.put("application.id", "set-here-by-mistake");

        Output out = check(config(client, moto, "Not_A_Bucket"));

        assertThat(out.exitCode).as(out.text).isEqualTo(2);
        assertThat(out.text).contains("lake.bucket", "kafka.application.id")
                .doesNotContain(secrets(kafka, kafka.scramPassword()));
    }

    private record Output(int exitCode, String text) {
    }

    /** SASL_SSL with SCRAM, the CA truststore, and a client keystore with its key password: every kind of secret. */
    private static Map<String, String> secureClient(SecureKafka kafka, String scramPassword) {
        Map<String, String> client = new LinkedHashMap<>(kafka.clientConfig(SecurityProtocol.SASL_SSL));
        client.putAll(SecureKafka.scramSettings(SecureKafka.SCRAM_USER, scramPassword));
        client.putAll(kafka.certificates().keySettings(kafka.certificates().clientKeystore()));
        return client;
    }

    private static String[] secrets(SecureKafka kafka, String scramPassword) {
        return new String[] {scramPassword, kafka.certificates().password()};
    }

    private Path config(Map<String, String> kafka, MotoServer moto, String bucket) throws IOException {
        String kafkaYaml = kafka.entrySet().stream()
                .map(e -> "  " + e.getKey() + ": '" + e.getValue().replace("'", "''") + "'")
                .collect(Collectors.joining("\n"));
        Path schema = Files.copy(Path.of("schemas/claim.avsc"), tmp.resolve("claim.avsc"));
        Path file = tmp.resolve("secrets.yaml");
        Files.writeString(file, """
                application: { id: check-secrets }
                kafka:
                %s
                registry: { type: glue, region: us-east-1, endpoint: "%s" }
                lake: { store: s3, bucket: %s, region: us-east-1, endpoint: "%s" }
                catalog: { type: glue, database: check_secrets, region: us-east-1, endpoint: "%s" }
                pipelines:
                  - name: claims
                    source: { topics: [check.claims.raw], format: json }
                    schema: %s
                    key: account_id
                    event-time: { field: claim_ts }
                """.formatted(kafkaYaml, moto.endpoint(), bucket, moto.endpoint(), moto.endpoint(),
                schema.getFileName()));
        return file;
    }

    private static Output check(Path config) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(both);
        System.setErr(both);
        try {
            int code = Main.execute(List.of("check", "--config", config.toString()).toArray(String[]::new));
            return new Output(code, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
