package io.lakestream.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as written in config files and on the command line: a whole number and a unit (ms, s, m, h, d). */
public final class Durations {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    /** The duration, or null if {@code text} is not of the form {@code 100s}. */
    public static Duration parseOrNull(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** @throws IllegalArgumentException naming the allowed form */
    public static Duration parse(String text) {
        Duration d = parseOrNull(text);
        if (d == null) {
            throw new IllegalArgumentException("must be a duration like 30s (units ms, s, m, h, d), was \"" + text + "\"");
        }
        return d;
    }
}
