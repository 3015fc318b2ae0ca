package io.lakestream.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakestream.testing.CommittedRecords;
import io.lakestream.testing.SecureKafka;
import io.lakestream.testing.SecureKafkaExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every client security protocol of the embedded broker, driven only by pass-through Kafka client settings: what
 * works with the right certificate or password, and how it fails without.
 */
@ExtendWith(SecureKafkaExtension.class)
class SecureListenersIT {

    /** An authentication failure must surface well before a client's default timeouts (60 s and more). */
    private static final Duration FAILURE_BOUND = Duration.ofSeconds(20);

    @ParameterizedTest
    @EnumSource(SecurityProtocol.class)
    void shouldDeliverCommittedTransactionsOverEveryListener(SecurityProtocol protocol, SecureKafka kafka) {
        String topic = "secure.tx." + protocol.name.toLowerCase();
        kafka.broker().createTopics(2, topic);
        Map<String, String> client = kafka.clientConfig(protocol);

        produceTransactionally(client, topic, "tx-" + protocol.name);

        assertThat(CommittedRecords.values(client, topic, 5)).containsExactlyInAnyOrder("v0", "v1", "v2", "v3", "v4");
    }

    @Test
    void shouldRejectAnSslClientThatPresentsNoCertificate(SecureKafka kafka) {
        Map<String, String> client = new HashMap<>(kafka.clientConfig(SecurityProtocol.SSL));
        client.keySet().removeIf(key -> key.startsWith("ssl.keystore.") || key.equals("ssl.key.password"));

        assertThat(assertFailsFast(client, SslAuthenticationException.class))
                .hasRootCauseInstanceOf(SSLHandshakeException.class).hasStackTraceContaining("bad_certificate");
    }

    @Test
    void shouldRejectAnSslClientWhoseCertificateAnotherCaSigned(SecureKafka kafka) {
        Map<String, String> client = new HashMap<>(kafka.clientConfig(SecurityProtocol.SSL));
        client.putAll(kafka.certificates().keySettings(kafka.certificates().untrustedClientKeystore()));

        assertThat(assertFailsFast(client, SslAuthenticationException.class))
                .hasRootCauseInstanceOf(SSLHandshakeException.class).hasStackTraceContaining("bad_certificate");
    }

    @Test
    void shouldRejectABrokerCertificateTheClientDoesNotTrust(SecureKafka kafka) {
        Map<String, String> client = new HashMap<>(kafka.clientConfig(SecurityProtocol.SSL));
        client.keySet().removeIf(key -> key.startsWith("ssl.truststore."));

        assertThat(assertFailsFast(client, SslAuthenticationException.class))
                .hasStackTraceContaining("PKIX path building failed");
    }

    @ParameterizedTest
    @EnumSource(value = SecurityProtocol.class, names = {"SASL_PLAINTEXT", "SASL_SSL"})
    void shouldRejectAScramClientWithAWrongPassword(SecurityProtocol protocol, SecureKafka kafka) {
        Map<String, String> client = new HashMap<>(kafka.clientConfig(protocol));
        client.putAll(SecureKafka.scramSettings(SecureKafka.SCRAM_USER, "not-" + kafka.scramPassword()));

        assertThat(assertFailsFast(client, SaslAuthenticationException.class))
                .hasMessageContaining("invalid credentials with SASL mechanism SCRAM-SHA-512");
    }

    @Test
    void shouldAuthenticateAScramUserCreatedWhileTheBrokerRuns(SecureKafka kafka) throws Exception {
        kafka.broker().createScramUser("late-user", "late-password");
        Map<String, String> client = new HashMap<>(kafka.clientConfig(SecurityProtocol.SASL_PLAINTEXT));
        client.putAll(SecureKafka.scramSettings("late-user", "late-password"));

        try (Admin admin = Admin.create(new HashMap<>(client))) {
            assertThat(admin.describeCluster().nodes().get(FAILURE_BOUND.toSeconds(), TimeUnit.SECONDS)).hasSize(1);
        }
    }

    @Test
    void shouldNameTheBuilderOptionWhenAListenerIsMissing() {
        try (var plain = EmbeddedKafka.start()) {
            assertThatThrownBy(() -> plain.bootstrapServers(SecurityProtocol.SASL_SSL))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no SASL_SSL listener")
                    .hasMessageContaining("SASL_SSL with both");
        }
    }

    /** Asserts that an admin call fails with {@code expected} within {@link #FAILURE_BOUND}; returns the cause. */
    private static Throwable assertFailsFast(Map<String, String> client, Class<? extends Throwable> expected) {
        long start = System.nanoTime();
        Throwable cause;
        try (Admin admin = Admin.create(new HashMap<>(client))) {
            admin.describeCluster().nodes().get(FAILURE_BOUND.toSeconds(), TimeUnit.SECONDS);
            throw new AssertionError("the client connected although it should have been rejected");
        } catch (ExecutionException e) {
            cause = e.getCause();
        } catch (Exception e) {
            throw new AssertionError("expected " + expected.getSimpleName() + " but got " + e, e);
        }
        assertThat(cause).isInstanceOf(expected);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FAILURE_BOUND);
        return cause;
    }

    private static void produceTransactionally(Map<String, String> client, String topic, String transactionalId) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
            }
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k-aborted", "aborted"));
            producer.flush();
            producer.abortTransaction();
        }
    }
}
