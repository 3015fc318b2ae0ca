package io.lakestream.check;

import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Turns a failure to talk to the Kafka cluster into a {@code kafka} result that tells TLS, SASL, authorization,
 * timeouts and bad client settings apart, each with the settings to look at.
 */
final class KafkaFailures {

    static final String NAME = "kafka";

    private KafkaFailures() {
    }

    /**
     * @param e         what the admin client threw (unwrapped from {@code ExecutionException})
     * @param bootstrap the bootstrap servers, which were reachable over TCP
     * @param kafka     the pass-through Kafka settings, for the security protocol and SASL mechanism in use
     */
    static CheckResult cluster(Throwable e, String bootstrap, Map<String, String> kafka, long timeoutSeconds) {
        String protocol = kafka.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT");
        if (find(e, SslAuthenticationException.class) != null || find(e, SSLException.class) != null) {
            return CheckResult.fail(NAME, "TLS handshake with " + bootstrap + " failed: " + rootMessage(e),
                    "check ssl.truststore.location / the broker certificate (it must be signed by a CA in the"
                            + " truststore and match the broker host name), and ssl.keystore.location for mTLS");
        }
        if (find(e, SaslAuthenticationException.class) != null) {
            return CheckResult.fail(NAME, "SASL authentication (" + kafka.getOrDefault("sasl.mechanism", "GSSAPI")
                            + ") with " + bootstrap + " failed: " + message(find(e, SaslAuthenticationException.class)),
                    "check sasl.jaas.config credentials and sasl.mechanism");
        }
        if (find(e, AuthenticationException.class) != null) {
            return CheckResult.fail(NAME, "authentication with " + bootstrap + " failed: "
                            + message(find(e, AuthenticationException.class)),
                    "check that security.protocol (" + protocol + ") and sasl.mechanism match the broker listener");
        }
        if (find(e, AuthorizationException.class) != null) {
            return CheckResult.fail(NAME, "not authorized: " + message(find(e, AuthorizationException.class)),
                    "grant the principal in use DESCRIBE on the cluster");
        }
        if (find(e, TimeoutException.class) != null || find(e, java.util.concurrent.TimeoutException.class) != null) {
            return CheckResult.fail(NAME, bootstrap + " accepts connections but no Kafka answer came within "
                            + timeoutSeconds + " s (security.protocol " + protocol + ")",
                    "check that security.protocol matches the broker listener on that port (SSL vs PLAINTEXT,"
                            + " SASL) and that the brokers' advertised.listeners are reachable from here");
        }
        String text = rootMessage(e);
        String lower = text.toLowerCase(Locale.ROOT);
        // The client names the store it could not load (a missing file, a wrong password or type) in its message.
        if (lower.contains("keystore") || lower.contains("truststore")) {
            return CheckResult.fail(NAME, "invalid TLS settings: " + text,
                    "check ssl.truststore.location / ssl.keystore.location, their type and password");
        }
        return CheckResult.fail(NAME, "Kafka client error: " + text, "check the kafka: settings");
    }

    static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** Every message down the cause chain, deduplicated: the top says what, the root often says why. */
    static String rootMessage(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = message(t);
            if (!text.toString().contains(m)) {
                text.append(text.length() == 0 ? "" : ": ").append(m);
            }
        }
        return text.toString();
    }

    private static String message(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
