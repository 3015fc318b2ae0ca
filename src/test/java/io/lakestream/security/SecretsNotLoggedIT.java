package io.lakestream.security;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.testing.SecureKafka;
import io.lakestream.testing.SecureKafkaExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole run through SASL_SSL (SCRAM-SHA-512, plus a client certificate), with secrets from the environment, from
 * a {@code ${file:PATH}} secret file and from Kafka's own FileConfigProvider, while every log event of the JVM is
 * captured at TRACE: no password, no JAAS config appears in any message, argument or exception, and the effective
 * configuration shows {@code ****} for each.
 */
@ExtendWith(SecureKafkaExtension.class)
class SecretsNotLoggedIT {

    private static final Logger log = LoggerFactory.getLogger(SecretsNotLoggedIT.class);

    @Test
    @SuppressWarnings("unchecked")
    void shouldKeepEveryKafkaSecretOutOfTheLogsAtEveryLevel(SecureKafka kafka, @TempDir Path work) throws Exception {
        String storePassword = kafka.certificates().password();
        String scramPassword = kafka.scramPassword();
        String jaas = SecureKafka.scramSettings(SecureKafka.SCRAM_USER, scramPassword).get("sasl.jaas.config");
        LakestreamConfig config = ConfigLoader.load(claimsConfigWithSecretFiles(work, jaas, storePassword),
                env(kafka, work));
        assertThat(config.kafka()).containsEntry("sasl.jaas.config", jaas);
        Map<String, Object> effective = (Map<String, Object>) ConfigLoader.masked(config).get("kafka");
        assertThat(effective).containsEntry("sasl.jaas.config", "****").containsEntry("ssl.keystore.password", "****")
                .containsEntry("ssl.key.password", "****").containsEntry("ssl.truststore.password", "****");
        ClaimsRun.freshTopics(kafka, config);

        List<ILoggingEvent> events;
        try (LogCapture capture = LogCapture.everything()) {
            log.info("effective configuration: {}", ConfigLoader.masked(config)); // as `run` logs it
            ClaimsRun.Outcome outcome = ClaimsRun.run(config, kafka.clientConfig(SecurityProtocol.SASL_SSL), 11);
            assertThat(outcome.lake().table("claims").rows()).isEqualTo(outcome.validClaims());
            events = capture.events();
        }

        List<String> rendered = events.stream().map(LogCapture::render).toList();
        assertThat(rendered).as("Kafka logged the client configs it was given, secrets hidden")
                .anyMatch(e -> e.contains("sasl.jaas.config = [hidden]"))
                .anyMatch(e -> e.contains("ssl.keystore.password = [hidden]"))
                .anyMatch(e -> e.contains("ssl.truststore.password = [hidden]"))
                .anyMatch(e -> e.contains("effective configuration: ") && e.contains("sasl.jaas.config=****"));
        assertThat(events).as("events captured, TRACE included").anyMatch(e -> e.getLevel().levelStr.equals("TRACE"));
        Map<String, String> secrets = Map.of(scramPassword, "<SCRAM password>", storePassword, "<store password>",
                jaas, "<JAAS config>");
        secrets.forEach((secret, name) -> assertThat(rendered)
                .as("log events (of %d) holding the %s", rendered.size(), name)
                .filteredOn(e -> e.contains(secret))
                .map(e -> redacted(e, secrets))
                .isEmpty());
    }

    /** The event's first lines with every secret replaced by its name, so a failure report leaks nothing either. */
    private static String redacted(String rendered, Map<String, String> secrets) {
        String text = rendered;
        for (Map.Entry<String, String> s : secrets.entrySet()) {
            text = text.replace(s.getKey(), s.getValue());
        }
        return text.lines().limit(12).collect(Collectors.joining("\n"));
    }

    /**
     * {@code config/claims.yaml} in a folder of its own, reading the JAAS config from a secret file next to it and
     * the truststore password through Kafka's FileConfigProvider; the keystore passwords stay in the environment.
     */
    private static Path claimsConfigWithSecretFiles(Path work, String jaas, String storePassword) throws Exception {
        Path configDir = Files.createDirectories(work.resolve("config/secrets"));
        Files.createDirectories(work.resolve("schemas"));
        Files.copy(Path.of("schemas/claim.avsc"), work.resolve("schemas/claim.avsc"));
        Files.writeString(configDir.resolve("kafka-jaas.conf"), jaas + "\n");
        Path properties = configDir.resolve("kafka.properties");
        Files.writeString(properties, "truststore.password=" + storePassword + "\n");
        String yaml = Files.readString(Path.of("config/claims.yaml"))
                .replace("${KAFKA_SASL_JAAS_CONFIG:-}", "${file:secrets/kafka-jaas.conf}")
                .replace("${KAFKA_SSL_TRUSTSTORE_PASSWORD:-}", "${file:" + properties + ":truststore.password}")
                .replace("\nkafka:\n", "\nkafka:\n  config.providers: file\n"
                        + "  config.providers.file.class: org.apache.kafka.common.config.provider.FileConfigProvider\n");
        assertThat(yaml).contains("${file:secrets/kafka-jaas.conf}", "config.providers: file");
        Path file = work.resolve("config/claims.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static Map<String, String> env(SecureKafka kafka, Path work) {
        Map<String, String> env = new HashMap<>(ClaimsRun.env(kafka, SecurityProtocol.SASL_SSL, work,
                "secrets-not-logged").map());
        env.remove("KAFKA_SASL_JAAS_CONFIG");
        env.remove("KAFKA_SSL_TRUSTSTORE_PASSWORD");
        env.putAll(ClaimsRun.clientCertificate(kafka.certificates().clientKeystore(),
                kafka.certificates().password()));
        return env;
    }
}
