package io.lakestream.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.lakestream.config.LakestreamConfig;
import io.lakestream.demo.LakeSummary;
import io.lakestream.testing.AppUnderTest;
import io.lakestream.testing.CommittedRecords;
import io.lakestream.testing.SecureKafka;
import io.lakestream.testing.SecureKafkaExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real claims pipeline, configured by {@code config/claims.yaml} and nothing but its environment variables,
 * through the broker's mTLS listener and through SASL_SSL with SCRAM-SHA-512: every valid claim lands, every
 * invalid one reaches the DLQ, and a client certificate the broker does not trust fails fast, naming the problem.
 */
@ExtendWith(SecureKafkaExtension.class)
class SecurePipelineIT {

    private static final Path CLAIMS_CONFIG = Path.of("config/claims.yaml");
    /** A rejected certificate must stop the start well before Kafka's default timeouts (60 s and more). */
    private static final Duration FAILURE_BOUND = Duration.ofSeconds(30);

    @ParameterizedTest
    @EnumSource(value = SecurityProtocol.class, names = {"SSL", "SASL_SSL"})
    void shouldLandEveryValidClaimThroughASecuredListener(SecurityProtocol protocol, SecureKafka kafka,
            @TempDir Path work) throws Exception {
        String appId = "secure-claims-" + protocol.name.toLowerCase(Locale.ROOT).replace('_', '-');
        LakestreamConfig config = ClaimsRun.env(kafka, protocol, work, appId).load(CLAIMS_CONFIG);
        ClaimsRun.freshTopics(kafka, config);
        // "${KAFKA_SSL_KEYSTORE_LOCATION:-}" unset must leave the setting out, not pass "" (a keystore to open).
        assertThat(config.kafka()).containsEntry("security.protocol", protocol.name).doesNotContainValue("");

        ClaimsRun.Outcome outcome = ClaimsRun.run(config, kafka.clientConfig(protocol), 7 + protocol.id);

        LakeSummary.Table claims = outcome.lake().table("claims");
        assertThat(claims.rows()).as("rows of the claims table").isEqualTo(outcome.validClaims());
        assertThat(outcome.lake().table("claims_by_account").rows()).as("rows of the aggregates table")
                .isPositive();
        int invalid = ClaimsRun.RECORDS - (int) outcome.validClaims();
        assertThat(CommittedRecords.values(kafka.clientConfig(protocol), config.pipelines().get(0).dlqTopic(),
                invalid)).as("dead letters").hasSize(invalid);
    }

    @Test
    void shouldFailFastNamingTheSslProblemWhenTheBrokerDoesNotTrustTheClientCertificate(SecureKafka kafka,
            @TempDir Path work) {
        LakestreamConfig config = ClaimsRun.env(kafka, SecurityProtocol.SSL, work, "secure-claims-untrusted")
                .withAll(ClaimsRun.clientCertificate(kafka.certificates().untrustedClientKeystore(),
                        kafka.certificates().password())).load(CLAIMS_CONFIG);
        kafka.broker().createTopics(3, ClaimsRun.RAW_TOPIC);

        Throwable failure = assertTimeoutPreemptively(FAILURE_BOUND, () -> {
            try (AppUnderTest app = AppUnderTest.of(config)) {
                return catchThrowable(() -> app.start().awaitCaughtUp(FAILURE_BOUND));
            }
        }, "the start with an untrusted client certificate neither failed nor hung up within " + FAILURE_BOUND);

        // With TLS 1.3 the client learns of the rejection after its side of the handshake ("post-handshake");
        // the broker's alert is the root cause, which `run` prints next to the message.
        assertThat(failure).as("start with an untrusted client certificate").isNotNull()
                .hasMessageStartingWith("cannot list topics: ")
                .hasCauseInstanceOf(SslAuthenticationException.class)
                .hasRootCauseInstanceOf(SSLHandshakeException.class)
                .hasRootCauseMessage("Received fatal alert: bad_certificate");
    }
}
