package io.lakestream.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads timestamps into epoch millis or micros without losing the instant: ISO-8601 / RFC 3339 with a zone ({@code Z},
 * an offset, or a region in brackets; the {@code T} may be a space, as RFC 3339 allows), epoch seconds/millis/micros,
 * or a configured pattern. A local date-time or a bare date names no instant: it is taken in the configured zone, and
 * without one it is a {@link ErrorClass#TIMESTAMP_WITHOUT_ZONE} dead letter rather than a guess (a pattern without an
 * offset is read in UTC when no zone is set, as its author wrote the layout on purpose).
 *
 * <p>Leap seconds: Java time has no 23:59:60. A value with second 60 in minute 59 (e.g.
 * {@code 2016-12-31T23:59:60Z}) is smeared to the last representable instant of that minute
 * ({@code 23:59:59.999} for millis, {@code .999999} for micros), so it is kept and still sorts before the next
 * minute. Second 60 anywhere else is a BAD_TIMESTAMP.
 */
final class Timestamps {

    /** How a timestamp value is written in the source. */
    enum Format {
        /** ISO-8601 text, or a number in the field's own unit: for timestamp fields other than the event time. */
        AUTO, ISO_8601, EPOCH_SECONDS, EPOCH_MILLIS, EPOCH_MICROS, PATTERN;

        static Format of(String configValue) {
            return valueOf(configValue.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        }
    }

    /** Unit of the Avro timestamp logical type. */
    enum Unit {
        MILLIS(1_000L), MICROS(1L);

        private final long microsPerUnit;

        Unit(long microsPerUnit) {
            this.microsPerUnit = microsPerUnit;
        }
    }

    private static final Pattern LEAP_SECOND = Pattern.compile("^(\\d{4,}-\\d{2}-\\d{2}[T ]\\d{2}:59):60(\\.\\d+)?(.*)$");
    private static final Pattern DIGITS = Pattern.compile("[+-]?\\d+(\\.\\d+)?");
    private static final BigInteger MIN_LONG = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger MAX_LONG = BigInteger.valueOf(Long.MAX_VALUE);

    private final Format format;
    private final String patternText;
    private final DateTimeFormatter pattern;
    /** Zone of local times, or null: then ISO-8601 text must carry its own zone. */
    private final ZoneId zone;

    /**
     * @param patternText DateTimeFormatter pattern for {@link Format#PATTERN}, else null
     * @param zone        zone of local date-times and dates, or null to refuse ISO-8601 text without a zone
     */
    Timestamps(Format format, String patternText, ZoneId zone) {
        this.format = format;
        this.patternText = patternText;
        this.pattern = patternText == null ? null : DateTimeFormatter.ofPattern(patternText, java.util.Locale.ROOT);
        this.zone = zone;
    }

    long read(JsonNode node, Unit unit, Where where) {
        Format effective = format;
        if (effective == Format.AUTO) {
            boolean numeric = node.isNumber() || (node.isTextual() && DIGITS.matcher(node.asText().trim()).matches());
            effective = numeric ? (unit == Unit.MILLIS ? Format.EPOCH_MILLIS : Format.EPOCH_MICROS) : Format.ISO_8601;
        }
        return switch (effective) {
            case EPOCH_SECONDS -> epoch(node, 1_000_000L, unit, where);
            case EPOCH_MILLIS -> epoch(node, 1_000L, unit, where);
            case EPOCH_MICROS -> epoch(node, 1L, unit, where);
            case ISO_8601, PATTERN -> text(node, effective, unit, where);
            case AUTO -> throw new IllegalStateException("resolved above");
        };
    }

    private long epoch(JsonNode node, long microsPerSourceUnit, Unit unit, Where where) {
        BigDecimal value;
        if (node.isNumber()) {
            value = node.decimalValue();
        } else if (node.isTextual() && DIGITS.matcher(node.asText().trim()).matches()) {
            value = new BigDecimal(node.asText().trim());
        } else {
            throw where.error(ErrorClass.BAD_TIMESTAMP, "expected " + expectation() + ", was "
                    + NormalizeException.quote(node.isTextual() ? node.asText() : node.toString()));
        }
        // Sub-unit digits are truncated towards the past: a timestamp keeps its second/millisecond bucket.
        BigInteger micros = value.multiply(BigDecimal.valueOf(microsPerSourceUnit))
                .setScale(0, java.math.RoundingMode.FLOOR).toBigIntegerExact();
        BigInteger result = floorDiv(micros, unit.microsPerUnit);
        if (result.compareTo(MIN_LONG) < 0 || result.compareTo(MAX_LONG) > 0) {
            throw where.error(ErrorClass.TIMESTAMP_OUT_OF_RANGE, "timestamp out of range", value.toPlainString());
        }
        return result.longValueExact();
    }

    private static BigInteger floorDiv(BigInteger value, long divisor) {
        BigInteger[] qr = value.divideAndRemainder(BigInteger.valueOf(divisor));
        return qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
    }

    private long text(JsonNode node, Format effective, Unit unit, Where where) {
        if (!node.isTextual()) {
            throw where.error(ErrorClass.BAD_TIMESTAMP, "expected " + expectation() + ", was " + node);
        }
        String text = node.asText().trim();
        Instant fast = effective == Format.PATTERN ? null : IsoFastPath.parse(text, zone);
        if (fast != null) {
            return toUnit(fast, unit, where, node);
        }
        boolean leap = false;
        Matcher m = LEAP_SECOND.matcher(text);
        if (m.matches()) {
            leap = true;
            text = m.group(1) + ":59" + m.group(3);
        }
        Instant instant;
        try {
            instant = effective == Format.PATTERN ? parse(pattern, text, zone == null ? ZoneOffset.UTC : zone)
                    : parseIso(text);
        } catch (DateTimeException e) {
            throw where.error(ErrorClass.BAD_TIMESTAMP, "expected " + expectation(), node.asText());
        }
        if (instant == null) {
            throw where.error(ErrorClass.TIMESTAMP_WITHOUT_ZONE, "expected a timestamp with a zone like "
                    + "2024-01-31T10:15:30Z or 2024-01-31T12:15:30+02:00 (local times need event-time.zone)",
                    node.asText());
        }
        if (leap) {
            instant = instant.with(ChronoField.NANO_OF_SECOND, 999_999_999L);
        }
        return toUnit(instant, unit, where, node);
    }

    private static long toUnit(Instant instant, Unit unit, Where where, JsonNode node) {
        try {
            long micros = Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L),
                    instant.getNano() / 1_000);
            return Math.floorDiv(micros, unit.microsPerUnit);
        } catch (ArithmeticException e) {
            throw where.error(ErrorClass.TIMESTAMP_OUT_OF_RANGE, "timestamp out of range", node.asText());
        }
    }

    /** The instant, or null for a valid local date-time or date when no zone is configured. */
    private Instant parseIso(String text) {
        String iso = text.length() > 10 && text.charAt(10) == ' ' ? text.substring(0, 10) + 'T' + text.substring(11)
                : text;
        if (iso.length() <= 10 || iso.indexOf('T') < 0) {
            LocalDate date = LocalDate.parse(iso, DateTimeFormatter.ISO_LOCAL_DATE);
            return zone == null ? null : date.atStartOfDay(zone).toInstant();
        }
        return parse(DateTimeFormatter.ISO_DATE_TIME, iso, zone);
    }

    /** The instant; a local time in {@code localZone}, or null when that is null. */
    private static Instant parse(DateTimeFormatter formatter, String text, ZoneId localZone) {
        TemporalAccessor parsed = formatter.parse(text);
        if (parsed.query(TemporalQueries.zone()) != null) {
            return ZonedDateTime.from(parsed).toInstant();
        }
        if (parsed.query(TemporalQueries.localTime()) == null) {
            LocalDate date = LocalDate.from(parsed);
            return localZone == null ? null : date.atStartOfDay(localZone).toInstant();
        }
        LocalDateTime local = LocalDateTime.from(parsed);
        return localZone == null ? null : local.atZone(localZone).toInstant();
    }

    private String expectation() {
        return switch (format) {
            case AUTO -> "an ISO-8601 timestamp like 2024-01-31T10:15:30Z or epoch number";
            case ISO_8601 -> "an ISO-8601 timestamp like 2024-01-31T10:15:30Z";
            case EPOCH_SECONDS -> "epoch seconds";
            case EPOCH_MILLIS -> "epoch milliseconds";
            case EPOCH_MICROS -> "epoch microseconds";
            case PATTERN -> "a timestamp of pattern " + patternText;
        };
    }

    /** Days since 1970-01-01 from ISO text ({@code 2024-01-31}) or a whole number of days. */
    static int date(JsonNode node, Where where) {
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return node.intValue();
        }
        if (node.isTextual()) {
            try {
                return Math.toIntExact(LocalDate.parse(node.asText().trim()).toEpochDay());
            } catch (DateTimeException | ArithmeticException e) {
                // reported below
            }
        }
        throw where.error(ErrorClass.BAD_TIMESTAMP, "expected an ISO-8601 date like 2024-01-31",
                node.isTextual() ? node.asText() : node.toString());
    }
}
