package io.lakestream.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.lakestream.config.ConfigException;
import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets from files: {@code ${file:PATH}} reads a mounted secret, Kafka's own {@code ${provider:path:key}}
 * references pass through to the Kafka clients untouched, and no error message ever quotes a secret.
 */
class SecretFileInterpolationTest {

    private static final String CONFIG = """
            application:
              id: app
            kafka:
              bootstrap.servers: "b:9093"
            %s
            lake:
              store: local
            catalog:
              type: none
            pipelines:
              - name: claims
                source: { topics: [raw] }
                schema: ../schemas/claim.avsc
                key: account_id
                event-time: { field: claim_ts }
            """;

    @TempDir
    Path dir;
    private Path configDir;

    @BeforeEach
    void layOutAConfigFolder() throws IOException {
        configDir = Files.createDirectories(dir.resolve("config"));
        Files.createDirectories(dir.resolve("schemas"));
        Files.createDirectories(configDir.resolve("secrets"));
        Files.copy(Path.of("schemas/claim.avsc"), dir.resolve("schemas/claim.avsc"));
    }

    @Test
    void shouldReadASecretFileRelativeToTheConfigFolderWithoutItsTrailingNewline() throws IOException {
        Files.writeString(configDir.resolve("secrets/truststore-password"), "tr0st\n");

        LakestreamConfig c = load("  ssl.truststore.password: ${file:secrets/truststore-password}", Map.of());

        assertThat(c.kafka()).containsEntry("ssl.truststore.password", "tr0st");
    }

    @Test
    void shouldReadAnAbsolutePathAndKeepLineBreaksInsideTheSecret() throws IOException {
        Path pem = dir.resolve("client.key.pem");
        Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\r\nMIGH\r\n-----END PRIVATE KEY-----\r\n\r\n");
        Path jaas = dir.resolve("jaas.conf");
        Files.writeString(jaas, "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"app\""
                + " password=\"p ${HOME} w\";\n");

        LakestreamConfig c = load("  ssl.keystore.key: ${file:" + pem + "}\n  sasl.jaas.config: ${file:" + jaas + "}",
                Map.of("HOME", "/root"));

        assertThat(c.kafka()).containsEntry("ssl.keystore.key",
                "-----BEGIN PRIVATE KEY-----\r\nMIGH\r\n-----END PRIVATE KEY-----");
        assertThat(c.kafka().get("sasl.jaas.config")).as("a secret's content is not interpolated again")
                .endsWith("password=\"p ${HOME} w\";");
    }

    @Test
    void shouldCombineSecretFilesWithVariablesInOneValue() throws IOException {
        Files.writeString(configDir.resolve("secrets/scram"), "s3cr3t");

        LakestreamConfig c = load("  sasl.jaas.config: 'org.apache.kafka.common.security.scram.ScramLoginModule"
                + " required username=\"${KAFKA_USER}\" password=\"${file:secrets/scram}\";'", Map.of("KAFKA_USER",
                "lakestream"));

        assertThat(c.kafka()).containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule"
                + " required username=\"lakestream\" password=\"s3cr3t\";");
    }

    @Test
    void shouldPassKafkaConfigProviderReferencesThroughUntouched() {
        LakestreamConfig c = load(String.join("\n",
                "  config.providers: file,env,dir",
                "  config.providers.file.class: org.apache.kafka.common.config.provider.FileConfigProvider",
                "  ssl.truststore.password: ${file:/etc/kafka/secrets.properties:truststore.password}",
                "  ssl.keystore.password: \"${file:C:/kafka/secrets.properties:keystore.password}\"",
                "  ssl.key.password: ${dir:/run/secrets:key-password}",
                "  sasl.jaas.config: ${env:KAFKA_JAAS}"), Map.of());

        assertThat(c.kafka())
                .containsEntry("config.providers.file.class",
                        "org.apache.kafka.common.config.provider.FileConfigProvider")
                .containsEntry("ssl.truststore.password", "${file:/etc/kafka/secrets.properties:truststore.password}")
                .containsEntry("ssl.keystore.password", "${file:C:/kafka/secrets.properties:keystore.password}")
                .containsEntry("ssl.key.password", "${dir:/run/secrets:key-password}")
                .containsEntry("sasl.jaas.config", "${env:KAFKA_JAAS}");
    }

    @Test
    void shouldReadFileDashAsTheVariableFileWithADefaultAndDollarDollarAsALiteral() {
        LakestreamConfig c = load("  client.id: ${file:-fallback}\n  client.rack: $${file:secrets/x}", Map.of());

        assertThat(c.kafka()).containsEntry("client.id", "fallback").containsEntry("client.rack", "${file:secrets/x}");
    }

    @Test
    void shouldNameTheYamlPathAndTheFileWhenASecretFileIsMissing() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> load("  ssl.keystore.password: ${file:secrets/missing}", Map.of()));

        assertThat(e.problems()).containsExactly("kafka.ssl.keystore.password: cannot read the secret file "
                + configDir.resolve("secrets/missing") + " named by ${file:secrets/missing}: no such file");
    }

    @Test
    void shouldReportAFolderOrABinaryFileWithoutQuotingItsContent() throws IOException {
        byte[] binary = {'p', 'w', '-', (byte) 0xC3, (byte) 0x28, 'x'};
        Files.write(configDir.resolve("secrets/keystore.p12"), binary);

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(
                "  ssl.keystore.password: ${file:secrets/keystore.p12}\n  ssl.key.password: ${file:secrets}",
                Map.of()));

        assertThat(e.problems()).containsExactly(
                "kafka.ssl.keystore.password: cannot read the secret file " + configDir.resolve("secrets/keystore.p12")
                        + " named by ${file:secrets/keystore.p12}: it is not UTF-8 text",
                "kafka.ssl.key.password: cannot read the secret file " + configDir.resolve("secrets")
                        + " named by ${file:secrets}: it is a folder");
        assertThat(e.getMessage()).doesNotContain(new String(binary, StandardCharsets.ISO_8859_1).substring(0, 3));
    }

    @Test
    void shouldRefuseAFileTooLargeToBeASecret() throws IOException {
        Files.write(configDir.resolve("secrets/big"), new byte[(1 << 20) + 1]);

        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> load("  ssl.key.password: ${file:secrets/big}", Map.of()));

        assertThat(e.problems()).singleElement().asString().endsWith("it is larger than 1 MiB, so not a secret file");
    }

    @Test
    void shouldLeaveOutKafkaSettingsWhoseValueIsEmpty() throws IOException {
        Files.writeString(configDir.resolve("secrets/empty"), "\n");

        LakestreamConfig c = load("  ssl.keystore.location: ${KAFKA_SSL_KEYSTORE_LOCATION:-}\n"
                + "  ssl.keystore.password: ${file:secrets/empty}\n  security.protocol: SASL_SSL", Map.of());

        assertThat(c.kafka()).doesNotContainKeys("ssl.keystore.location", "ssl.keystore.password")
                .containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void shouldMaskSecretsReadFromFilesInTheEffectiveConfig() throws IOException {
        Files.writeString(configDir.resolve("secrets/pw"), "hunter2-from-a-file\n");

        LakestreamConfig c = load("  ssl.truststore.password: ${file:secrets/pw}", Map.of());

        assertThat(ConfigLoader.masked(c).toString()).contains("ssl.truststore.password=****")
                .doesNotContain("hunter2");
    }

    private LakestreamConfig load(String kafkaLines, Map<String, String> env) {
        Path file = configDir.resolve("lakestream.yaml");
        try {
            Files.writeString(file, CONFIG.formatted(kafkaLines));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ConfigLoader.load(file, env);
    }
}
