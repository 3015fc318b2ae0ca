package io.lakestream.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedSaslMechanismException;
import org.junit.jupiter.api.Test;

class KafkaFailuresTest {

    private static final String BOOTSTRAP = "broker-1:9093";
    private static final Map<String, String> SASL_SSL = Map.of("security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512");

    @Test
    void shouldBlameTheTruststoreOrCertificateForATlsHandshakeFailure() {
        var e = new SslAuthenticationException("SSL handshake failed",
                new SSLHandshakeException("PKIX path building failed"));

        CheckResult result = KafkaFailures.cluster(e, BOOTSTRAP, SASL_SSL, 10);

        assertThat(result).isEqualTo(CheckResult.fail("kafka",
                "TLS handshake with broker-1:9093 failed: SSL handshake failed: PKIX path building failed",
                "check ssl.truststore.location / the broker certificate (it must be signed by a CA in the truststore"
                        + " and match the broker host name), and ssl.keystore.location for mTLS"));
    }

    @Test
    void shouldBlameTheJaasCredentialsForASaslAuthenticationFailure() {
        var e = new SaslAuthenticationException("Authentication failed during authentication due to invalid"
                + " credentials with SASL mechanism SCRAM-SHA-512");

        CheckResult result = KafkaFailures.cluster(e, BOOTSTRAP, SASL_SSL, 10);

        assertThat(result.detail()).isEqualTo("SASL authentication (SCRAM-SHA-512) with broker-1:9093 failed: "
                + e.getMessage());
        assertThat(result.hint()).isEqualTo("check sasl.jaas.config credentials and sasl.mechanism");
    }

    @Test
    void shouldBlameTheProtocolSettingsForOtherAuthenticationFailures() {
        CheckResult result = KafkaFailures.cluster(new UnsupportedSaslMechanismException("PLAIN not enabled"),
                BOOTSTRAP, SASL_SSL, 10);

        assertThat(result.detail()).isEqualTo("authentication with broker-1:9093 failed: PLAIN not enabled");
        assertThat(result.hint()).contains("security.protocol (SASL_SSL) and sasl.mechanism");
    }

    @Test
    void shouldSuspectAProtocolMismatchWhenAReachableBootstrapDoesNotAnswer() {
        CheckResult result = KafkaFailures.cluster(new TimeoutException("Timed out waiting for a node assignment"),
                BOOTSTRAP, Map.of(), 10);

        assertThat(result.detail()).isEqualTo("broker-1:9093 accepts connections but no Kafka answer came within"
                + " 10 s (security.protocol PLAINTEXT)");
        assertThat(result.hint()).contains("advertised.listeners");
    }

    @Test
    void shouldAskForClusterDescribePermissionWhenNotAuthorized() {
        CheckResult result = KafkaFailures.cluster(new ClusterAuthorizationException("Cluster authorization failed."),
                BOOTSTRAP, SASL_SSL, 10);

        assertThat(result.hint()).isEqualTo("grant the principal in use DESCRIBE on the cluster");
    }

    @Test
    void shouldPointAtTheTlsFilesWhenTheClientCannotLoadThem() {
        var e = new KafkaException("Failed to create new KafkaAdminClient",
                new KafkaException("Failed to load SSL keystore /etc/kafka/missing.p12 of type PKCS12"));

        CheckResult result = KafkaFailures.cluster(e, BOOTSTRAP, SASL_SSL, 10);

        assertThat(result.detail()).isEqualTo("invalid TLS settings: Failed to create new KafkaAdminClient: Failed to"
                + " load SSL keystore /etc/kafka/missing.p12 of type PKCS12");
        assertThat(result.hint()).contains("ssl.truststore.location");
    }

    @Test
    void shouldShowEveryDistinctMessageDownTheCauseChainOnce() {
        var e = new KafkaException("outer", new KafkaException("outer", new IllegalStateException()));

        assertThat(KafkaFailures.rootMessage(e)).isEqualTo("outer: IllegalStateException");
    }
}
