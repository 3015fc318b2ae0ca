package io.lakestream.normalize;

import java.util.regex.Pattern;

/**
 * Cuts raw content out of record-level error messages (a JSON syntax error quotes the token it stopped at, which may
 * be a protected field's value): every quoted span becomes {@code '…'}. Field-level messages are decided by
 * {@link Where}, which knows whether its field is protected.
 */
final class Redaction {

    private static final Pattern QUOTED = Pattern.compile("'[^']*'|\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final int MAX_CHARS = 300;

    private Redaction() {
    }

    static String quoted(String message) {
        String out = QUOTED.matcher(message).replaceAll(m -> m.group().charAt(0) == '\'' ? "'…'" : "\"…\"");
        // An unbalanced quote leaves its tail; a long tail is cut rather than trusted.
        int open = Math.max(out.lastIndexOf('\''), out.lastIndexOf('"'));
        if (open >= 0 && (out.chars().filter(c -> c == out.charAt(open)).count() % 2 == 1)) {
            return out.substring(0, open + 1) + "…";
        }
        return out.length() > MAX_CHARS ? out.substring(0, MAX_CHARS) + "…" : out;
    }
}
