package io.lakestream.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made by the test, the way an operator's own ("custom-managed") PKI would: a CA, a broker
 * certificate for {@code 127.0.0.1}/{@code localhost} and a client certificate it signed, plus a client certificate
 * signed by a second, unrelated CA for the negative tests. Written as PKCS12 stores (one random password for all
 * of them) into the folder given to {@link #generate(Path)}; the caller removes that folder.
 *
 * <p>Keys are EC P-256: quick to generate, and accepted by the JDK's TLS 1.2 and 1.3.
 */
public final class TestCertificates {

    private static final Duration VALIDITY = Duration.ofDays(2);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path truststore;
    private final Path brokerKeystore;
    private final Path clientKeystore;
    private final Path untrustedClientKeystore;
    private final String password;

    private TestCertificates(Path dir, String password) {
        this.truststore = dir.resolve("ca-truststore.p12");
        this.brokerKeystore = dir.resolve("broker-keystore.p12");
        this.clientKeystore = dir.resolve("client-keystore.p12");
        this.untrustedClientKeystore = dir.resolve("untrusted-client-keystore.p12");
        this.password = password;
    }

    /** Generates the CAs, certificates and stores into {@code dir} (created if missing). */
    public static TestCertificates generate(Path dir) {
        byte[] secret = new byte[18];
        RANDOM.nextBytes(secret);
        // URL-safe base64 of 18 bytes has no padding and no character that needs quoting in a JAAS or YAML value.
        var certs = new TestCertificates(dir, Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
        try {
            Files.createDirectories(dir);
            Issued ca = selfSignedCa("CN=lakestream test CA,O=lakestream");
            Issued broker = ca.sign("CN=localhost,O=lakestream", Role.SERVER);
            Issued client = ca.sign("CN=lakestream-client,O=lakestream", Role.CLIENT);
            Issued rogueCa = selfSignedCa("CN=some other CA,O=elsewhere");
            Issued untrustedClient = rogueCa.sign("CN=lakestream-client,O=lakestream", Role.CLIENT);

            KeyStore trust = emptyStore();
            trust.setCertificateEntry("lakestream-test-ca", ca.certificate());
            certs.write(trust, certs.truststore);
            certs.write(broker.keyStore("broker", certs.password), certs.brokerKeystore);
            certs.write(client.keyStore("client", certs.password), certs.clientKeystore);
            certs.write(untrustedClient.keyStore("client", certs.password), certs.untrustedClientKeystore);
            return certs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the test certificates to " + dir, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot generate the test certificates", e);
        }
    }

    /** PKCS12 truststore holding only the test CA, for broker and clients. */
    public Path truststore() {
        return truststore;
    }

    /** PKCS12 keystore with the broker's key and certificate (SAN: DNS localhost, IP 127.0.0.1) and the CA. */
    public Path brokerKeystore() {
        return brokerKeystore;
    }

    /** PKCS12 keystore with a client key and certificate signed by the test CA. */
    public Path clientKeystore() {
        return clientKeystore;
    }

    /** PKCS12 keystore with a client key and certificate signed by a CA the broker does not trust. */
    public Path untrustedClientKeystore() {
        return untrustedClientKeystore;
    }

    /** Password of every store and key. */
    public String password() {
        return password;
    }

    /**
     * Kafka client settings that trust the test CA and check the broker's host name (the default, spelled out
     * so a reader sees that verification stays on).
     */
    public Map<String, String> trustSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("ssl.truststore.type", "PKCS12");
        settings.put("ssl.truststore.location", truststore.toString());
        settings.put("ssl.truststore.password", password);
        settings.put("ssl.endpoint.identification.algorithm", "https");
        return settings;
    }

    /** Kafka client settings that present the certificate in {@code keystore} (one of this object's stores). */
    public Map<String, String> keySettings(Path keystore) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("ssl.keystore.type", "PKCS12");
        settings.put("ssl.keystore.location", keystore.toString());
        settings.put("ssl.keystore.password", password);
        settings.put("ssl.key.password", password);
        return settings;
    }

    private enum Role { SERVER, CLIENT }

    /** A key pair with its certificate, and the chain up to (and including) the CA that signed it. */
    private record Issued(KeyPair keys, X509Certificate certificate, X509Certificate[] chain) {

        Issued sign(String subject, Role role) throws GeneralSecurityException, OperatorCreationException,
                CertIOException {
            KeyPair leafKeys = newKeyPair();
            // The issuer name is copied in its encoded form: a DN string read back by another library may come
            // out with its parts in the other order, and then the chain no longer links.
            var issuer = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
            var builder = newBuilder(issuer, new X500Name(subject), leafKeys);
            var extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    extensions.createAuthorityKeyIdentifier(certificate));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    extensions.createSubjectKeyIdentifier(leafKeys.getPublic()));
            if (role == Role.SERVER) {
                builder.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth,
                                KeyPurposeId.id_kp_clientAuth}));
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            } else {
                builder.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            }
            X509Certificate leaf = signWith(builder, keys);
            return new Issued(leafKeys, leaf, new X509Certificate[] {leaf, certificate});
        }

        KeyStore keyStore(String alias, String password) throws GeneralSecurityException, IOException {
            KeyStore store = emptyStore();
            store.setKeyEntry(alias, keys.getPrivate(), password.toCharArray(), (Certificate[]) chain);
            return store;
        }
    }

    private static Issued selfSignedCa(String subject) throws GeneralSecurityException, OperatorCreationException,
            CertIOException {
        KeyPair keys = newKeyPair();
        var name = new X500Name(subject);
        var builder = newBuilder(name, name, keys);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        builder.addExtension(Extension.subjectKeyIdentifier, false,
                new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
        X509Certificate certificate = signWith(builder, keys);
        return new Issued(keys, certificate, new X509Certificate[] {certificate});
    }

    private static X509v3CertificateBuilder newBuilder(X500Name issuer, X500Name subject, KeyPair subjectKeys) {
        // Back-dated a little so a clock step between generation and handshake cannot make it "not yet valid".
        Instant now = Instant.now();
        BigInteger serial = new BigInteger(64, RANDOM).add(BigInteger.ONE);
        return new JcaX509v3CertificateBuilder(issuer, serial, Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(VALIDITY)), subject, subjectKeys.getPublic());
    }

    private static X509Certificate signWith(X509v3CertificateBuilder builder, KeyPair issuerKeys)
            throws OperatorCreationException, GeneralSecurityException {
        var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }

    private void write(KeyStore store, Path file) throws IOException, GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
    }
}
