package io.lakestream.testing;

import io.lakestream.embedded.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * An {@link EmbeddedKafka} broker with every client security protocol: PLAINTEXT, SSL with client certificates
 * required (mTLS, certificates from {@link TestCertificates}), SASL_PLAINTEXT and SASL_SSL with one
 * SCRAM-SHA-512 user. {@link #clientConfig(SecurityProtocol)} gives the Kafka client settings for each listener
 * as they would appear in the {@code kafka:} section of a lakestream config. {@link #close()} stops the broker and
 * deletes the certificates.
 */
public final class SecureKafka implements AutoCloseable {

    /** The SCRAM user the broker is formatted with. */
    public static final String SCRAM_USER = "lakestream-app";
    /** The SASL mechanism of the SASL listeners. */
    public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

    private final Path dir;
    private final TestCertificates certificates;
    private final String scramPassword;
    private final EmbeddedKafka broker;

    private SecureKafka(Path dir, TestCertificates certificates, String scramPassword, EmbeddedKafka broker) {
        this.dir = dir;
        this.certificates = certificates;
        this.scramPassword = scramPassword;
        this.broker = broker;
    }

    /** Generates certificates into a temp folder and starts the broker. */
    public static SecureKafka start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("lakestream-tls-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            TestCertificates certificates = TestCertificates.generate(dir);
            String scramPassword = UUID.randomUUID().toString();
            EmbeddedKafka broker = EmbeddedKafka.builder()
                    .withSsl(certificates.brokerKeystore(), certificates.truststore(), certificates.password())
                    .withScram(SCRAM_USER, scramPassword)
                    .start();
            return new SecureKafka(dir, certificates, scramPassword, broker);
        } catch (RuntimeException e) {
            delete(dir);
            throw e;
        }
    }

    public EmbeddedKafka broker() {
        return broker;
    }

    public TestCertificates certificates() {
        return certificates;
    }

    public String scramPassword() {
        return scramPassword;
    }

    /**
     * {@code bootstrap.servers} and the security settings of a client of the listener for {@code protocol}: for SSL
     * the CA truststore and the trusted client certificate, for SASL the SCRAM user, for SASL_SSL both the
     * truststore and the user. These are plain Kafka client properties, passed through verbatim.
     */
    public Map<String, String> clientConfig(SecurityProtocol protocol) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("bootstrap.servers", broker.bootstrapServers(protocol));
        config.put("security.protocol", protocol.name);
        if (protocol == SecurityProtocol.SSL || protocol == SecurityProtocol.SASL_SSL) {
            config.putAll(certificates.trustSettings());
        }
        if (protocol == SecurityProtocol.SSL) {
            config.putAll(certificates.keySettings(certificates.clientKeystore()));
        }
        if (protocol == SecurityProtocol.SASL_PLAINTEXT || protocol == SecurityProtocol.SASL_SSL) {
            config.putAll(scramSettings(SCRAM_USER, scramPassword));
        }
        return config;
    }

    /** {@code sasl.mechanism} and {@code sasl.jaas.config} of a SCRAM-SHA-512 client. */
    public static Map<String, String> scramSettings(String user, String password) {
        return Map.of("sasl.mechanism", SCRAM_MECHANISM,
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + user + "\" password=\"" + password + "\";");
    }

    @Override
    public void close() {
        try {
            broker.close();
        } finally {
            delete(dir);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
