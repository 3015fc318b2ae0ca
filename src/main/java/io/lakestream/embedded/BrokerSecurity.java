package io.lakestream.embedded;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * The secured client listeners of an {@link EmbeddedKafka} broker: SSL with client certificates required (mTLS),
 * SASL_PLAINTEXT and SASL_SSL with SCRAM-SHA-512. Each listener is named after its security protocol. The
 * PLAINTEXT listener (admin, inter-broker) and the CONTROLLER listener stay as they are, so the broker's own
 * traffic never depends on the certificates or users under test.
 */
final class BrokerSecurity {

    static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

    /*
     * The user names and passwords go into a StorageTool argument ("SCRAM-SHA-512=[name=..,password=..]") and
     * into JAAS lines, neither of which has an escape for quotes, commas or brackets; test credentials need none.
     */
    private static final Pattern PLAIN_TOKEN = Pattern.compile("[A-Za-z0-9._-]+");

    /** The broker's PKCS12 keystore (its certificate and key) and truststore (CAs of accepted clients). */
    record Tls(Path keystore, Path truststore, String password) {
        Tls {
            Objects.requireNonNull(keystore, "keystore");
            Objects.requireNonNull(truststore, "truststore");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "Tls[keystore=" + keystore + ", truststore=" + truststore + "]";
        }
    }

    record ScramUser(String name, String password) {
        ScramUser {
            requirePlainToken("SCRAM user name", name);
            requirePlainToken("SCRAM password", password);
        }

        @Override
        public String toString() {
            return "ScramUser[name=" + name + "]";
        }
    }

    private final Tls tls;
    private final List<ScramUser> scramUsers;

    BrokerSecurity(Tls tls, List<ScramUser> scramUsers) {
        this.tls = tls;
        this.scramUsers = List.copyOf(scramUsers);
    }

    /** The client listeners besides PLAINTEXT, in the order they are added to {@code listeners}. */
    List<SecurityProtocol> extraProtocols() {
        List<SecurityProtocol> protocols = new ArrayList<>();
        if (tls != null) {
            protocols.add(SecurityProtocol.SSL);
        }
        if (!scramUsers.isEmpty()) {
            protocols.add(SecurityProtocol.SASL_PLAINTEXT);
            if (tls != null) {
                protocols.add(SecurityProtocol.SASL_SSL);
            }
        }
        return protocols;
    }

    /** Adds the extra listeners on the given ports of 127.0.0.1 and their settings to the broker properties. */
    void apply(Properties props, Map<SecurityProtocol, Integer> ports) {
        for (SecurityProtocol protocol : extraProtocols()) {
            String name = protocol.name;
            String address = name + "://127.0.0.1:" + ports.get(protocol);
            append(props, "listeners", address);
            append(props, "advertised.listeners", address);
            append(props, "listener.security.protocol.map", name + ":" + name);
            String prefix = "listener.name." + name.toLowerCase(Locale.ROOT) + ".";
            if (protocol == SecurityProtocol.SSL || protocol == SecurityProtocol.SASL_SSL) {
                putTls(props, prefix);
                // Over SASL_SSL the SASL user is the identity, as in the usual production set-up; over SSL the
                // client certificate is, so it is required.
                props.put(prefix + "ssl.client.auth", protocol == SecurityProtocol.SSL ? "required" : "none");
            }
            if (protocol == SecurityProtocol.SASL_PLAINTEXT || protocol == SecurityProtocol.SASL_SSL) {
                props.put(prefix + "sasl.enabled.mechanisms", SCRAM_MECHANISM);
                props.put(prefix + SCRAM_MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
            }
        }
    }

    /**
     * {@code --add-scram} arguments for the storage format step. In KRaft, SCRAM credentials live in the metadata
     * log; writing them at format time means they are on the broker before its first client connects, with no
     * wait for a credential change to propagate.
     */
    List<String> formatArguments() {
        List<String> args = new ArrayList<>();
        for (ScramUser user : scramUsers) {
            args.add("--add-scram");
            args.add(SCRAM_MECHANISM + "=[name=" + user.name() + ",password=" + user.password() + "]");
        }
        return args;
    }

    private void putTls(Properties props, String prefix) {
        props.put(prefix + "ssl.keystore.type", "PKCS12");
        props.put(prefix + "ssl.keystore.location", tls.keystore().toString());
        props.put(prefix + "ssl.keystore.password", tls.password());
        props.put(prefix + "ssl.key.password", tls.password());
        props.put(prefix + "ssl.truststore.type", "PKCS12");
        props.put(prefix + "ssl.truststore.location", tls.truststore().toString());
        props.put(prefix + "ssl.truststore.password", tls.password());
    }

    private static void append(Properties props, String key, String value) {
        String current = props.getProperty(key, "");
        props.put(key, current.isEmpty() ? value : current + "," + value);
    }

    static void requirePlainToken(String what, String value) {
        if (value == null || !PLAIN_TOKEN.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be letters, digits, '.', '_' or '-'");
        }
    }
}
