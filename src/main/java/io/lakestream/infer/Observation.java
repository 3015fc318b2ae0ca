package io.lakestream.infer;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The narrowest type one non-null scalar value supports, with what widening needs later: integer digits and
 * scale for decimals, the integer value for int/long fit and epoch ranges, sub-microsecond loss for timestamps.
 *
 * @param kind          narrowest type of the value
 * @param text          the value as written (for notes)
 * @param integerDigits digits left of the decimal point (numbers only)
 * @param scale         digits right of the decimal point (decimals only)
 * @param integer       the value of an integer (INT, LONG, INTEGER_STRING), else null
 * @param truncated     a timestamp with digits beyond microseconds
 */
record Observation(Kind kind, String text, int integerDigits, int scale, BigInteger integer, boolean truncated) {

    /** Maximum precision of an Avro decimal that Glue, Athena and Parquet all accept. */
    static final int MAX_DECIMAL_PRECISION = 38;

    enum Kind {
        BOOLEAN("boolean"), INT("int"), LONG("long"), DECIMAL("decimal"), DOUBLE("double"),
        /** An integer inside a JSON string: an id or code unless other values of the field are decimals. */
        INTEGER_STRING("integer string"),
        TIMESTAMP_MILLIS("timestamp-millis"), TIMESTAMP_MICROS("timestamp-micros"), DATE("date"),
        /** An ISO date-time without offset: an instant only once a zone is known. */
        LOCAL_DATE_TIME("local date-time"),
        STRING("string"), ARRAY("array"), RECORD("object");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]*)");
    private static final Pattern DECIMAL = Pattern.compile("-?(0|[1-9][0-9]*)\\.[0-9]+");
    private static final Pattern EXPONENT = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?[eE][-+]?[0-9]+");
    private static final Pattern DATE_SHAPE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private static final Pattern DATE_TIME_SHAPE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}T.+");
    private static final BigInteger INT_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
    private static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private static Observation of(Kind kind, String text) {
        return new Observation(kind, text, 0, 0, null, false);
    }

    static Observation ofBoolean(boolean value) {
        return of(Kind.BOOLEAN, Boolean.toString(value));
    }

    static Observation ofComposite(Kind kind, String shown) {
        return of(kind, shown);
    }

    /** A JSON number literal, or CSV text already known to be numeric. */
    static Observation ofNumber(String text) {
        if (text.indexOf('e') >= 0 || text.indexOf('E') >= 0) {
            return of(Kind.DOUBLE, text);
        }
        if (text.indexOf('.') >= 0) {
            BigDecimal decimal = new BigDecimal(text);
            int integerDigits = Math.max(decimal.precision() - decimal.scale(), 0);
            if (integerDigits + decimal.scale() > MAX_DECIMAL_PRECISION) {
                return of(Kind.DOUBLE, text);
            }
            return new Observation(Kind.DECIMAL, text, integerDigits, decimal.scale(), null, false);
        }
        BigInteger integer = new BigInteger(text);
        int digits = integer.abs().toString().length();
        if (integer.compareTo(INT_MIN) >= 0 && integer.compareTo(INT_MAX) <= 0) {
            return new Observation(Kind.INT, text, digits, 0, integer, false);
        }
        if (integer.compareTo(LONG_MIN) >= 0 && integer.compareTo(LONG_MAX) <= 0) {
            return new Observation(Kind.LONG, text, digits, 0, integer, false);
        }
        if (digits <= MAX_DECIMAL_PRECISION) {
            return new Observation(Kind.DECIMAL, text, digits, 0, null, false);
        }
        return of(Kind.DOUBLE, text);
    }

    /**
     * Text from a JSON string ({@code quoted}) or a CSV cell. Quoted integers stay strings on their own (ids,
     * codes); quoted decimals such as {@code "1234.50"} are money written as text and become decimals.
     * Numbers with leading zeros are never numbers: {@code "00123"} would lose its zeros.
     */
    static Observation ofText(String text, boolean quoted) {
        if (INTEGER.matcher(text).matches()) {
            if (!quoted) {
                return ofNumber(text);
            }
            BigInteger integer = new BigInteger(text);
            return new Observation(Kind.INTEGER_STRING, text, integer.abs().toString().length(), 0, integer, false);
        }
        if (DECIMAL.matcher(text).matches()) {
            Observation number = ofNumber(text);
            return number.kind() == Kind.DECIMAL || !quoted ? number : of(Kind.STRING, text);
        }
        if (!quoted) {
            if (EXPONENT.matcher(text).matches()) {
                return of(Kind.DOUBLE, text);
            }
            String lower = text.toLowerCase(Locale.ROOT);
            if (lower.equals("true") || lower.equals("false")) {
                return of(Kind.BOOLEAN, text);
            }
        }
        if (DATE_SHAPE.matcher(text).matches()) {
            return isDate(text) ? of(Kind.DATE, text) : of(Kind.STRING, text);
        }
        if (DATE_TIME_SHAPE.matcher(text).matches()) {
            return ofDateTime(text);
        }
        return of(Kind.STRING, text);
    }

    private static boolean isDate(String text) {
        try {
            LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static Observation ofDateTime(String text) {
        try {
            int nanos = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).getNano();
            if (nanos % 1_000_000 == 0) {
                return of(Kind.TIMESTAMP_MILLIS, text);
            }
            return new Observation(Kind.TIMESTAMP_MICROS, text, 0, 0, null, nanos % 1_000 != 0);
        } catch (DateTimeParseException notOffset) {
            try {
                LocalDateTime.parse(text, DateTimeFormatter.ISO_LOCAL_DATE_TIME);
                return of(Kind.LOCAL_DATE_TIME, text);
            } catch (DateTimeParseException notLocal) {
                return of(Kind.STRING, text);
            }
        }
    }
}
