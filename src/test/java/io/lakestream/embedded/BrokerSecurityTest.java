package io.lakestream.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;

class BrokerSecurityTest {

    private static final BrokerSecurity.Tls TLS =
            new BrokerSecurity.Tls(Path.of("/certs/broker.p12"), Path.of("/certs/ca.p12"), "store-secret");
    private static final BrokerSecurity.ScramUser USER = new BrokerSecurity.ScramUser("app", "scram-secret");

    @Test
    void shouldAddOnlyTheListenersTheOptionsAskFor() {
        assertThat(new BrokerSecurity(null, List.of()).extraProtocols()).isEmpty();
        assertThat(new BrokerSecurity(TLS, List.of()).extraProtocols()).containsExactly(SecurityProtocol.SSL);
        assertThat(new BrokerSecurity(null, List.of(USER)).extraProtocols())
                .containsExactly(SecurityProtocol.SASL_PLAINTEXT);
        assertThat(new BrokerSecurity(TLS, List.of(USER)).extraProtocols()).containsExactly(
                SecurityProtocol.SSL, SecurityProtocol.SASL_PLAINTEXT, SecurityProtocol.SASL_SSL);
    }

    @Test
    void shouldRequireClientCertificatesOnSslAndLeaveIdentityToScramOnSaslSsl() {
        Properties props = new Properties();
        props.put("listeners", "PLAINTEXT://127.0.0.1:9092");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT");

        new BrokerSecurity(TLS, List.of(USER)).apply(props, Map.of(SecurityProtocol.SSL, 9093,
                SecurityProtocol.SASL_PLAINTEXT, 9094, SecurityProtocol.SASL_SSL, 9095));

        assertThat(props.getProperty("listeners")).isEqualTo("PLAINTEXT://127.0.0.1:9092,SSL://127.0.0.1:9093,"
                + "SASL_PLAINTEXT://127.0.0.1:9094,SASL_SSL://127.0.0.1:9095");
        assertThat(props.getProperty("advertised.listeners")).isEqualTo("SSL://127.0.0.1:9093,"
                + "SASL_PLAINTEXT://127.0.0.1:9094,SASL_SSL://127.0.0.1:9095");
        assertThat(props.getProperty("listener.security.protocol.map"))
                .isEqualTo("PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL");
        assertThat(props).containsEntry("listener.name.ssl.ssl.client.auth", "required")
                .containsEntry("listener.name.sasl_ssl.ssl.client.auth", "none")
                .containsEntry("listener.name.ssl.ssl.keystore.location", "/certs/broker.p12")
                .containsEntry("listener.name.sasl_ssl.ssl.truststore.location", "/certs/ca.p12")
                .containsEntry("listener.name.sasl_plaintext.sasl.enabled.mechanisms", "SCRAM-SHA-512")
                .containsEntry("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;")
                .doesNotContainKey("listener.name.sasl_plaintext.ssl.keystore.location")
                .doesNotContainKey("listener.name.ssl.sasl.enabled.mechanisms");
    }

    @Test
    void shouldWriteEachScramUserAsAFormatArgument() {
        var security = new BrokerSecurity(null, List.of(USER, new BrokerSecurity.ScramUser("ops", "p2")));

        assertThat(security.formatArguments()).containsExactly(
                "--add-scram", "SCRAM-SHA-512=[name=app,password=scram-secret]",
                "--add-scram", "SCRAM-SHA-512=[name=ops,password=p2]");
    }

    @Test
    void shouldRejectScramCredentialsTheFormatArgumentCannotCarryWithoutEchoingThem() {
        assertThatThrownBy(() -> new BrokerSecurity.ScramUser("app", "a,b]c"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SCRAM password must be letters, digits, '.', '_' or '-'");
        assertThatThrownBy(() -> new BrokerSecurity.ScramUser("name=x", "ok"))
                .hasMessage("SCRAM user name must be letters, digits, '.', '_' or '-'");
        assertThat(USER.toString()).doesNotContain("scram-secret");
        assertThat(TLS.toString()).doesNotContain("store-secret");
    }
}
