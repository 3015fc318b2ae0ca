package io.lakestream.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.check.CheckResult.Status;
import io.lakestream.config.LakeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kafka check against a TLS listener: an untrusted certificate, a plaintext client, a missing truststore. */
class KafkaTlsCheckIT {

    @TempDir
    Path dir;
    private TlsServer tls;
    private CheckConfigs config;

    @BeforeEach
    void startTlsListener() throws Exception {
        tls = TlsServer.start(dir);
        config = new CheckConfigs().bootstrap(tls.address());
        config.registryType = "memory";
        config.store = LakeConfig.Store.LOCAL;
        config.localDir = dir.resolve("lake");
        config.catalogType = "none";
    }

    @AfterEach
    void stop() throws Exception {
        tls.close();
    }

    @Test
    void shouldFailKafkaWithATruststoreHintWhenTheBrokerCertificateIsNotTrusted() {
        config.kafka.put("security.protocol", "SSL");

        List<CheckResult> results = ConnectionCheck.run(config.build());

        CheckResult kafka = results.get(0);
        assertThat(kafka.status()).isEqualTo(Status.FAIL);
        assertThat(kafka.detail()).startsWith("TLS handshake with " + tls.address() + " failed")
                .contains("unable to find valid certification path");
        assertThat(kafka.hint()).contains("ssl.truststore.location");
        assertThat(results).filteredOn(r -> r.name().startsWith("topic "))
                .extracting(CheckResult::status).containsOnly(Status.SKIPPED);
    }

    @Test
    void shouldFailKafkaWithinTheTimeoutWhenTheListenerSpeaksTlsToAPlaintextClient() {
        long start = System.nanoTime();
        List<CheckResult> results = ConnectionCheck.run(config.build());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        CheckResult kafka = results.get(0);
        assertThat(kafka.status()).isEqualTo(Status.FAIL);
        assertThat(kafka.detail()).isEqualTo(tls.address() + " accepts connections but no Kafka answer came within"
                + " 10 s (security.protocol PLAINTEXT)");
        assertThat(kafka.hint()).contains("security.protocol matches the broker listener");
        assertThat(took).isLessThan(KafkaProbe.TIMEOUT.plusSeconds(10));
    }

    @Test
    void shouldFailKafkaWithoutShowingThePasswordWhenTheTruststoreCannotBeRead() {
        String password = "truststore-secret-4711";
        config.kafka.put("security.protocol", "SSL");
        config.kafka.put("ssl.truststore.location", dir.resolve("missing.p12").toString());
        config.kafka.put("ssl.truststore.password", password);

        List<CheckResult> results = ConnectionCheck.run(config.build());

        CheckResult kafka = results.get(0);
        assertThat(kafka.status()).isEqualTo(Status.FAIL);
        assertThat(kafka.detail()).startsWith("invalid TLS settings").contains("missing.p12");
        assertThat(CheckReport.render(results)).doesNotContain(password);
    }

    @Test
    void shouldPassTheTlsHandshakeWhenTheTruststoreHoldsTheBrokerCertificate() {
        config.kafka.put("security.protocol", "SSL");
        config.kafka.put("ssl.truststore.location", tls.keystore().toString());
        config.kafka.put("ssl.truststore.type", "PKCS12");
        config.kafka.put("ssl.truststore.password", TlsServer.PASSWORD);

        List<CheckResult> results = ConnectionCheck.run(config.build());

        // The listener is no broker: past the handshake, the client waits for a Kafka answer that never comes.
        assertThat(results.get(0).detail()).contains("no Kafka answer came within 10 s (security.protocol SSL)")
                .doesNotContain("TLS handshake");
    }
}
