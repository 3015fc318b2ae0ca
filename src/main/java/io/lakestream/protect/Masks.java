package io.lakestream.protect;

import io.lakestream.config.FieldKind;
import io.lakestream.config.ProtectionConfig;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import org.apache.avro.Schema;

/** Masking and timestamp truncation: pure functions of the value and the rule. */
final class Masks {

    private Masks() {
    }

    /**
     * Without a pattern: every character but the last {@code keepLast} becomes the mask character; a value no longer
     * than {@code keepLast} is masked whole (else short values would pass in the clear). With a pattern: every
     * character of every match. Length is kept (counted in code points).
     */
    static String mask(String text, ProtectionConfig.FieldRule rule) {
        int[] cps = text.codePoints().toArray();
        if (rule.pattern() == null) {
            int keep = cps.length > rule.keepLast() ? rule.keepLast() : 0;
            StringBuilder out = new StringBuilder(text.length());
            for (int i = 0; i < cps.length; i++) {
                if (i < cps.length - keep) {
                    out.append(rule.maskChar());
                } else {
                    out.appendCodePoint(cps[i]);
                }
            }
            return out.toString();
        }
        Matcher m = rule.pattern().matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        int last = 0;
        while (m.find()) {
            out.append(text, last, m.start());
            int n = text.codePointCount(m.start(), m.end());
            out.append(String.valueOf(rule.maskChar()).repeat(n));
            last = m.end();
        }
        return out.append(text, last, text.length()).toString();
    }

    /** Floors a timestamp (in its field's unit) to the start of its UTC hour or day. */
    static long truncate(long value, ChronoUnit unit, Schema schema) {
        long perMilli = FieldKind.of(schema) == FieldKind.TIMESTAMP_MICROS ? 1000L : 1L;
        long step = unit.getDuration().toMillis() * perMilli;
        return Math.floorDiv(value, step) * step;
    }
}
