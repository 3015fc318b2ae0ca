package io.lakestream.infer;

import io.lakestream.infer.Observation.Kind;
import io.lakestream.infer.TypeAccumulator.Example;
import io.lakestream.infer.TypeResolver.Resolution;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The numeric part of the lattice: int → long → decimal(p,s) → double, and epoch numbers read as timestamps. */
final class NumericResolver {

    /**
     * Plausible event times: 1990-01-01 to 2100-01-01. The seconds, millis and micros ranges do not overlap, so
     * the magnitude alone tells the unit.
     */
    private static final long EARLIEST_EPOCH_SECOND = 631_152_000L;
    private static final long LATEST_EPOCH_SECOND = 4_102_444_800L;
    private static final Pattern TIME_LIKE_NAME = Pattern.compile("(.*_)?(ts|at)|.*(time|date).*");

    private enum EpochUnit {
        SECONDS("epoch-seconds", 1L), MILLIS("epoch-millis", 1_000L), MICROS("epoch-micros", 1_000_000L);

        final String format;
        final BigInteger low;
        final BigInteger high;

        EpochUnit(String format, long perSecond) {
            this.format = format;
            this.low = BigInteger.valueOf(EARLIEST_EPOCH_SECOND).multiply(BigInteger.valueOf(perSecond));
            this.high = BigInteger.valueOf(LATEST_EPOCH_SECOND).multiply(BigInteger.valueOf(perSecond));
        }

        boolean contains(BigInteger value) {
            return value.compareTo(low) >= 0 && value.compareTo(high) < 0;
        }
    }

    private NumericResolver() {
    }

    static Resolution resolve(TypeAccumulator seen, String fieldName) {
        List<String> notes = new ArrayList<>();
        Example doubleValue = seen.kinds.get(Kind.DOUBLE);
        Example decimalValue = seen.kinds.get(Kind.DECIMAL);
        if (doubleValue != null) {
            String why = doubleValue.text.matches(".*[eE].*") ? "uses exponent notation" : "needs more than 38 digits";
            notes.add("double, not exact: " + doubleValue + " " + why);
            return new Resolution(Schema.create(Schema.Type.DOUBLE), null, notes);
        }
        if (decimalValue != null) {
            return decimal(seen, decimalValue, notes);
        }
        boolean onlyQuoted = seen.kinds.size() == 1 && seen.kinds.containsKey(Kind.INTEGER_STRING);
        Optional<Resolution> epoch = epoch(seen, fieldName, notes);
        if (epoch.isPresent()) {
            return epoch.get();
        }
        if (onlyQuoted) {
            notes.add("all values are integers inside strings, e.g. " + seen.kinds.get(Kind.INTEGER_STRING)
                    + ": kept as string (ids and codes)");
            return TypeResolver.string(notes);
        }
        if (seen.kinds.containsKey(Kind.INTEGER_STRING)) {
            notes.add("some integers are written as strings, e.g. " + seen.kinds.get(Kind.INTEGER_STRING));
        }
        Example longValue = seen.kinds.get(Kind.LONG);
        boolean fitsInt = seen.minInteger.bitLength() < Integer.SIZE && seen.maxInteger.bitLength() < Integer.SIZE;
        if (longValue != null || !fitsInt) {
            notes.add("int rejected: " + (longValue != null ? longValue : seen.kinds.get(Kind.INTEGER_STRING))
                    + " exceeds the int range");
            return new Resolution(Schema.create(Schema.Type.LONG), null, notes);
        }
        return new Resolution(Schema.create(Schema.Type.INT), null, notes);
    }

    private static Resolution decimal(TypeAccumulator seen, Example decimalValue, List<String> notes) {
        int scale = seen.maxScale;
        int precision = Math.max(seen.maxIntegerDigits + scale, 1);
        if (precision > Observation.MAX_DECIMAL_PRECISION) {
            notes.add("double, not exact: " + seen.maxIntegerDigits + " integer and " + scale
                    + " fraction digits need decimal(" + precision + "," + scale + "), more than 38 digits");
            return new Resolution(Schema.create(Schema.Type.DOUBLE), null, notes);
        }
        for (Kind integral : List.of(Kind.INT, Kind.LONG)) {
            if (seen.kinds.containsKey(integral)) {
                notes.add(integral.label + " rejected: " + decimalValue + " has a fraction");
            }
        }
        if (seen.kinds.containsKey(Kind.INTEGER_STRING)) {
            notes.add("integers written as strings, e.g. " + seen.kinds.get(Kind.INTEGER_STRING)
                    + ", are read as decimals like " + decimalValue);
        }
        Schema schema = LogicalTypes.decimal(precision, scale).addToSchema(Schema.create(Schema.Type.BYTES));
        return new Resolution(schema, null, notes);
    }

    /** Integers become timestamps only when the field name says time and every value is a plausible epoch. */
    private static Optional<Resolution> epoch(TypeAccumulator seen, String fieldName, List<String> notes) {
        if (!TIME_LIKE_NAME.matcher(fieldName).matches()) {
            return Optional.empty();
        }
        String range = TypeResolver.range(seen.minInteger, seen.maxInteger);
        for (EpochUnit unit : EpochUnit.values()) {
            if (unit.contains(seen.minInteger) && unit.contains(seen.maxInteger)) {
                notes.add("epoch unit guessed from magnitude: " + unit.format + " (values " + range + ")");
                Schema schema = unit == EpochUnit.MICROS
                        ? LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG))
                        : TypeResolver.timestampMillis();
                return Optional.of(new Resolution(schema, unit.format, notes));
            }
        }
        notes.add("name suggests a time, but values " + range
                + " are not all epoch seconds, millis or micros between 1990 and 2100: not a timestamp");
        return Optional.empty();
    }
}
