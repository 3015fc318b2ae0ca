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
    /** Names of money columns, whose fixed scale is meant: decimals stay exact there. */
    private static final Pattern MONETARY_NAME = Pattern.compile(".*(amount|amt|price|cost|total|fee|balance|tax|"
            + "paid|payment|charge|salary|revenue|discount|money|eur|usd|gbp|cents?)($|_.*)|.*_(sum|value)");

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
            return fraction(seen, fieldName, decimalValue, notes);
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

    /**
     * Numbers with a fraction. The rule: decimal when the column looks monetary — its name (amount, price, fee,
     * total, …: exact whatever the writer's scale), or every value has exactly 2 fraction digits (cents) — or holds
     * integers too large for a long; a version or code ("1.10" next to "1.9": the fraction digits vary and a trailing
     * zero is kept) stays string; anything else is a measurement and stays double, since a decimal sized from the
     * samples rejects a larger value later (humidity 100.000 in decimal(5,3)).
     */
    private static Resolution fraction(TypeAccumulator seen, String fieldName, Example decimalValue,
                                       List<String> notes) {
        Scale agreed = Scale.agreed(seen);
        int minScale = Math.min(seen.minScale, agreed.scale);
        boolean sameScale = minScale == agreed.scale;
        boolean tooWide = agreed.integerDigits + agreed.scale > Observation.MAX_DECIMAL_PRECISION;
        if (MONETARY_NAME.matcher(fieldName.toLowerCase(java.util.Locale.ROOT)).matches() || agreed.scale == 0
                || tooWide || sameScale && agreed.scale == 2) {
            return decimal(seen, agreed, decimalValue, notes);
        }
        if (!sameScale && seen.trailingZeroFraction != null) {
            notes.add("version-like: fraction digits vary (" + minScale + ".." + agreed.scale + ") and "
                    + seen.trailingZeroFraction + " keeps a trailing zero: kept as string");
            return TypeResolver.string(notes);
        }
        notes.add("double, not decimal: " + (sameScale ? agreed.scale + " fraction digits in every value, not "
                + "cents" : "fraction digits vary (" + minScale + ".." + agreed.scale + "), e.g. "
                + decimalValue) + ", and the name does not look monetary");
        return new Resolution(Schema.create(Schema.Type.DOUBLE), null, notes);
    }

    /**
     * The fraction digits the values agree on: the fewest that leave at most {@link Outliers#MAX_OUTLIER_SHARE} of
     * the numbers with more (integers count as 0), and the most integer digits among the numbers within it. A few
     * malformed prices with three decimals must not make every price decimal(7,3): they are the DECIMAL_SCALE dead
     * letters a run will produce, and reported as such.
     *
     * @param outliers numbers with more fraction digits; {@code example} the first of them (null when none)
     */
    private record Scale(int scale, int integerDigits, int outliers, int total, Example example) {

        static Scale agreed(TypeAccumulator seen) {
            int total = java.util.Arrays.stream(seen.scaleCounts).sum();
            int scale = 0;
            int above = total - seen.scaleCounts[0];
            while (above > Outliers.MAX_OUTLIER_SHARE * total) {
                above -= seen.scaleCounts[++scale];
            }
            int digits = 0;
            for (int s = 0; s <= scale; s++) {
                digits = Math.max(digits, seen.integerDigitsByScale[s]);
            }
            Example example = null;
            for (int s = scale + 1; s < seen.scaleExamples.length && example == null; s++) {
                example = seen.scaleExamples[s];
            }
            return new Scale(scale, digits, above, total, example);
        }
    }

    private static Resolution decimal(TypeAccumulator seen, Scale agreed, Example decimalValue, List<String> notes) {
        int scale = agreed.scale;
        int precision = Math.max(agreed.integerDigits + scale, 1);
        if (precision > Observation.MAX_DECIMAL_PRECISION) {
            notes.add("double, not exact: " + agreed.integerDigits + " integer and " + scale
                    + " fraction digits need decimal(" + precision + "," + scale + "), more than 38 digits");
            return new Resolution(Schema.create(Schema.Type.DOUBLE), null, notes);
        }
        if (agreed.outliers > 0) {
            notes.add(String.format(java.util.Locale.ROOT, "%d outlier(s) of %d value(s) (%.1f %%) would go to the "
                    + "dead-letter topic as DECIMAL_SCALE: more than %d fraction digit(s), e.g. %s", agreed.outliers,
                    agreed.total, 100.0 * agreed.outliers / agreed.total, scale, agreed.example));
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

    /**
     * Integers become timestamps when every value is a plausible epoch (1990..2100): any unit when the field name
     * says time; without such a name only millis and micros, whose 12-16 digit ranges ids and counters rarely hit
     * all at once (epoch seconds look like 10-digit phone numbers and ids).
     */
    private static Optional<Resolution> epoch(TypeAccumulator seen, String fieldName, List<String> notes) {
        boolean timeName = TIME_LIKE_NAME.matcher(fieldName).matches();
        if (seen.minInteger == null || (!timeName && seen.minInteger.equals(seen.maxInteger))) {
            return Optional.empty();
        }
        String range = TypeResolver.range(seen.minInteger, seen.maxInteger);
        for (EpochUnit unit : EpochUnit.values()) {
            if ((timeName || unit != EpochUnit.SECONDS) && unit.contains(seen.minInteger)
                    && unit.contains(seen.maxInteger)) {
                notes.add("epoch unit guessed from magnitude: " + unit.format + " (values " + range + ")");
                Schema schema = unit == EpochUnit.MICROS
                        ? LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG))
                        : TypeResolver.timestampMillis();
                return Optional.of(new Resolution(schema, unit.format, notes));
            }
        }
        if (!timeName) {
            return Optional.empty();
        }
        notes.add("name suggests a time, but values " + range
                + " are not all epoch seconds, millis or micros between 1990 and 2100: not a timestamp");
        return Optional.empty();
    }
}
