package io.lakestream.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"lake\" password=\"p@ss-w0rd\";";

    private final Secrets secrets = Secrets.in(Map.of(
            "bootstrap.servers", "broker-1:9093",
            "sasl.jaas.config", JAAS,
            "ssl.truststore.password", "trust-me",
            "ssl.keystore.key", "-----BEGIN PRIVATE KEY-----abc",
            "sasl.oauthbearer.client.credentials.client.secret", "oauth-secret"));

    @Test
    void shouldMaskPasswordsKeysJaasConfigsAndTokensButNotOtherSettings() {
        String text = "failed with " + JAAS + " trust-me -----BEGIN PRIVATE KEY-----abc oauth-secret via broker-1:9093";

        assertThat(secrets.redact(text)).isEqualTo("failed with [hidden] [hidden] [hidden] [hidden] via broker-1:9093");
    }

    @Test
    void shouldMaskThePasswordInsideAJaasConfigWhenItAppearsAlone() {
        assertThat(secrets.redact("bad password p@ss-w0rd for user lake"))
                .isEqualTo("bad password [hidden] for user lake");
    }

    @Test
    void shouldMaskDetailAndHintOfAResult() {
        CheckResult result = CheckResult.fail("kafka", "using trust-me", "not p@ss-w0rd");

        assertThat(secrets.redact(result)).isEqualTo(CheckResult.fail("kafka", "using [hidden]", "not [hidden]"));
    }
}
