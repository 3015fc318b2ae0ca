package io.lakestream.protect;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.HashSecret;
import io.lakestream.config.PipelineConfig;
import io.lakestream.testing.Hmac;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/**
 * The hash key is the bytes the secret encodes, as the README says: anyone holding the secret recomputes a hash with
 * {@code openssl dgst -sha256 -mac HMAC -macopt hexkey:SECRET} or any HMAC-SHA-256 library and gets the same value.
 */
class HashSecretTest {

    /** 32 random bytes, as {@code openssl rand -hex 32} prints them. */
    private static final String HEX = "3f8e5a0c1d2b4e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7a8b9cadbecfd0e1";
    private static final byte[] KEY = HexFormat.of().parseHex(HEX);

    private static String protectedAccount(String secret) {
        PipelineConfig pipeline = FieldProtectorTest.claims(secret, "fields: { account_id: hash }\n");
        GenericRecord out = new FieldProtector(FieldProtectorTest.SOURCE, pipeline.protection(), pipeline.key())
                .protect(FieldProtectorTest.claim("A-000123", "Zelda Quixote"));
        return out.get("account_id").toString();
    }

    @Test
    void shouldKeyTheHmacWithTheBytesAHexSecretEncodesNotWithItsText() throws Exception {
        String hash = protectedAccount(HEX);

        assertThat(hash).isEqualTo(Hmac.hex(KEY, "A-000123"))
                .isNotEqualTo(Hmac.hex(HEX.getBytes(UTF_8), "A-000123"));
        assertThat(protectedAccount("hex:" + HEX.toUpperCase(java.util.Locale.ROOT))).isEqualTo(hash);
        assertThat(protectedAccount("base64:" + Base64.getEncoder().encodeToString(KEY))).isEqualTo(hash);
    }

    @Test
    void shouldKeepTheOldTextKeyBehindAnExplicitTextPrefix() throws Exception {
        assertThat(protectedAccount("text:" + HEX)).isEqualTo(Hmac.hex(HEX.getBytes(UTF_8), "A-000123"));
        assertThat(HashSecret.key("text:a passphrase: spaces kept")).isEqualTo("a passphrase: spaces kept"
                .getBytes(UTF_8));
    }

    /** The README's recipe. openssl is on the build machines; where it is not, the Java check above still runs. */
    @Test
    void shouldGiveTheHashThatOpensslComputesFromTheSameHexKey() throws Exception {
        String expected = protectedAccount(HEX);
        String openssl = openssl("A-000123", HEX);
        if (openssl == null) {
            assertThat(expected).isEqualTo(Hmac.hex(KEY, "A-000123"));
            return;
        }
        assertThat(openssl).isEqualTo(expected);
    }

    /** {@code printf '%s' VALUE | openssl dgst -sha256 -mac HMAC -macopt hexkey:KEY}, or null without openssl. */
    private static String openssl(String value, String hexKey) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("openssl", "dgst", "-sha256", "-mac", "HMAC", "-macopt", "hexkey:" + hexKey)
                    .redirectErrorStream(true).start();
        } catch (IOException noOpenssl) {
            return null;
        }
        p.getOutputStream().write(value.getBytes(UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8).trim();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        // "HMAC-SHA2-256(stdin)= 9f…" (OpenSSL 3) or "(stdin)= 9f…" (1.1): the hash is the last word
        return out.substring(out.lastIndexOf(' ') + 1);
    }

    @Test
    void shouldReadTheRecipeFromTheReadme() throws IOException {
        assertThat(Files.readString(Path.of("README.md")))
                .contains("openssl dgst -sha256 -mac HMAC -macopt hexkey:");
    }
}
