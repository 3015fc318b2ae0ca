package io.lakestream.config;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The HMAC key bytes a {@code protect.hash-secret} value stands for. The value says how it is written:
 * {@code hex:…}, {@code base64:…} or {@code text:…} (the UTF-8 bytes of the text, as lakestream read every secret
 * before keys were decoded); without a prefix it must be hex digits, the form {@code openssl rand -hex 32} prints.
 * A value with no prefix that is not hex is refused rather than guessed: a key read the wrong way gives hashes that
 * join with nothing, and nothing would tell.
 */
public final class HashSecret {

    /** Shorter HMAC keys are guessable by brute force over the key space; 32 random bytes is the recommendation. */
    public static final int MIN_BYTES = 16;
    private static final Pattern HEX = Pattern.compile("(?:[0-9a-fA-F]{2})+");

    private HashSecret() {
    }

    /**
     * The key bytes of {@code secret}.
     *
     * @throws IllegalArgumentException with a message that never repeats the secret
     */
    public static byte[] key(String secret) {
        String value = secret.strip();
        if (value.startsWith("text:")) {
            return value.substring("text:".length()).getBytes(StandardCharsets.UTF_8);
        }
        if (value.startsWith("base64:")) {
            try {
                return Base64.getDecoder().decode(value.substring("base64:".length()).strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("is not valid base64 after \"base64:\" (standard alphabet, with "
                        + "= padding)");
            }
        }
        boolean prefixed = value.startsWith("hex:");
        String hex = prefixed ? value.substring("hex:".length()).strip() : value;
        if (!HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException(prefixed ? "is not an even number of hex digits after \"hex:\""
                    : "must be hex digits (openssl rand -hex 32), or start with base64: or text: to say how the key"
                    + " is written");
        }
        return HexFormat.of().parseHex(hex);
    }
}
