package io.lakestream.normalize;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The common shape of an ISO-8601 timestamp, {@code yyyy-MM-dd'T'HH:mm:ss[.f{1,9}][Z|±HH:MM]} ('T' or a space),
 * read without {@link java.time.format.DateTimeFormatter}, whose general parser costs more than the rest of a
 * record's normalization. Anything else — another shape, an invalid field, a leap second — returns null and takes
 * the general parser, so results and errors stay exactly those of {@code ISO_DATE_TIME}.
 */
final class IsoFastPath {

    private IsoFastPath() {
    }

    /**
     * The instant of {@code text}, a local time taken in {@code zone}; null when the general parser must decide
     * (including a local time when {@code zone} is null: the general parser reports it).
     */
    static Instant parse(String text, ZoneId zone) {
        int n = text.length();
        if (n < 19 || text.charAt(4) != '-' || text.charAt(7) != '-' || (text.charAt(10) != 'T'
                && text.charAt(10) != ' ') || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (i < n && text.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && isDigit(text.charAt(i))) {
                nanos = nanos * 10 + (text.charAt(i++) - '0');
            }
            int length = i - start;
            if (length == 0 || (i < n && isDigit(text.charAt(i)))) {
                return null;
            }
            for (int k = length; k < 9; k++) {
                nanos *= 10;
            }
        }
        ZoneOffset offset = null;
        if (i < n) {
            char c = text.charAt(i);
            if (c == 'Z' && i + 1 == n) {
                offset = ZoneOffset.UTC;
            } else if ((c == '+' || c == '-') && i + 6 == n && text.charAt(i + 3) == ':') {
                int oh = digits(text, i + 1, 2);
                int om = digits(text, i + 4, 2);
                if ((oh | om) < 0) {
                    return null;
                }
                offset = offset(c == '-' ? -oh : oh, c == '-' ? -om : om);
                if (offset == null) {
                    return null;
                }
            } else {
                return null;
            }
        }
        if (offset == null && zone == null) {
            return null;
        }
        try {
            LocalDateTime local = LocalDateTime.of(year, month, day, hour, minute, second, nanos);
            return offset != null ? local.toInstant(offset) : local.atZone(zone).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static ZoneOffset offset(int hours, int minutes) {
        try {
            return ZoneOffset.ofHoursMinutes(hours, minutes);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The value of {@code count} decimal digits at {@code from}; -1 if one is not a digit. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
