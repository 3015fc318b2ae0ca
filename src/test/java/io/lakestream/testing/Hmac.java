package io.lakestream.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 computed by the JDK, independently of lakestream, to check the hashes its protection writes. */
public final class Hmac {

    private Hmac() {
    }

    /** @return the HMAC of {@code text} (UTF-8) under {@code key}, as lowercase hex digits */
    public static String hex(byte[] key, String text) {
        return HexFormat.of().formatHex(of(key, text));
    }

    /** @param hexKey the key as hex digits, as {@code CLAIMS_HASH_SECRET} gives it */
    public static String hex(String hexKey, String text) {
        return hex(HexFormat.of().parseHex(hexKey), text);
    }

    /** @param hexKey the key as hex digits; @return the HMAC in base64 */
    public static String base64(String hexKey, String text) {
        return Base64.getEncoder().encodeToString(of(HexFormat.of().parseHex(hexKey), text));
    }

    private static byte[] of(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
