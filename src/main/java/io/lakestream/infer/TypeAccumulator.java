package io.lakestream.infer;

import io.lakestream.infer.Observation.Kind;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything seen for one field (or for the elements of an array, or a field of an object inside an array)
 * across all samples. It only collects; {@link TypeResolver} turns it into an Avro type.
 */
final class TypeAccumulator {

    /** Strings with at most this many distinct values may become an enum (see {@link TypeResolver}). */
    static final int MAX_ENUM_SYMBOLS = 32;
    /** Largest fraction-digit count a decimal can have (Avro, Glue, Athena and Parquet all stop at 38 digits). */
    private static final int MAX_SCALE = Observation.MAX_DECIMAL_PRECISION;
    private static final int MAX_EXAMPLE_CHARS = 40;
    private static final Pattern SYMBOL = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** First value of a kind, and how often the kind was seen. */
    static final class Example {
        final String text;
        final int sampleIndex;
        int count;

        Example(String text, int sampleIndex) {
            this.text = text;
            this.sampleIndex = sampleIndex;
        }

        @Override
        public String toString() {
            return "'" + text + "' (sample " + sampleIndex + ")";
        }
    }

    final Map<Kind, Example> kinds = new LinkedHashMap<>();
    int present;
    int nulls;

    int maxIntegerDigits;
    int maxScale;
    /** Fewest fraction digits of a decimal value: equal to maxScale when every value has the same scale. */
    int minScale = Integer.MAX_VALUE;
    /**
     * A decimal value of 2+ fraction digits ending in 0 ("1.10"): written so on purpose, like a version or a fixed
     * format. Shortest-form float writers never do that; they do write "20.0", which is why one digit does not count.
     */
    Example trailingZeroFraction;
    BigInteger minInteger;
    BigInteger maxInteger;
    Example truncatedTimestamp;

    /**
     * Numbers by fraction digits (integers at 0): how many, the most integer digits among them, the first of each.
     * The scale and precision of a decimal come from the values that agree, not from a few malformed ones.
     */
    final int[] scaleCounts = new int[MAX_SCALE + 1];
    final int[] integerDigitsByScale = new int[MAX_SCALE + 1];
    final Example[] scaleExamples = new Example[MAX_SCALE + 1];

    /** Count of each string value, in first-seen order, up to {@link #MAX_ENUM_SYMBOLS} + 1 distinct ones. */
    final Map<String, Integer> stringCounts = new LinkedHashMap<>();
    boolean stringsSymbolLike = true;

    TypeAccumulator elements;
    int emptyArrays;

    /** Fields of objects met inside arrays, which stay nested records (paths cannot flatten through arrays). */
    final Map<String, TypeAccumulator> recordFields = new LinkedHashMap<>();
    int records;

    void observe(SampleValue value, int sampleIndex) {
        if (value instanceof SampleValue.Null) {
            nulls++;
            return;
        }
        present++;
        if (value instanceof SampleValue.Arr array) {
            record(Observation.ofComposite(Kind.ARRAY, "[" + array.elements().size() + " element(s)]"), sampleIndex);
            if (elements == null) {
                elements = new TypeAccumulator();
            }
            if (array.elements().isEmpty()) {
                emptyArrays++;
            }
            array.elements().forEach(element -> elements.observe(element, sampleIndex));
        } else if (value instanceof SampleValue.Obj object) {
            record(Observation.ofComposite(Kind.RECORD, "{" + String.join(", ", object.entries().keySet()) + "}"),
                    sampleIndex);
            records++;
            object.entries().forEach((key, fieldValue) ->
                    recordFields.computeIfAbsent(key, k -> new TypeAccumulator()).observe(fieldValue, sampleIndex));
        } else {
            record(scalar(value), sampleIndex);
        }
    }

    private static Observation scalar(SampleValue value) {
        if (value instanceof SampleValue.Bool bool) {
            return Observation.ofBoolean(bool.value());
        }
        if (value instanceof SampleValue.Num number) {
            return Observation.ofNumber(number.text());
        }
        if (value instanceof SampleValue.Str string) {
            return Observation.ofText(string.text(), true);
        }
        if (value instanceof SampleValue.Cell cell) {
            return Observation.ofText(cell.text(), false);
        }
        throw new IllegalArgumentException("not a scalar: " + value);
    }

    private void record(Observation observation, int sampleIndex) {
        kinds.computeIfAbsent(observation.kind(), k -> new Example(shorten(observation.text()), sampleIndex)).count++;
        switch (observation.kind()) {
            case INT, LONG, INTEGER_STRING -> {
                maxIntegerDigits = Math.max(maxIntegerDigits, observation.integerDigits());
                BigInteger value = observation.integer();
                minInteger = minInteger == null ? value : minInteger.min(value);
                maxInteger = maxInteger == null ? value : maxInteger.max(value);
                countScale(observation, sampleIndex);
            }
            case DECIMAL -> {
                maxIntegerDigits = Math.max(maxIntegerDigits, observation.integerDigits());
                maxScale = Math.max(maxScale, observation.scale());
                minScale = Math.min(minScale, observation.scale());
                countScale(observation, sampleIndex);
                if (trailingZeroFraction == null && observation.scale() >= 2 && observation.text().endsWith("0")) {
                    trailingZeroFraction = new Example(shorten(observation.text()), sampleIndex);
                }
            }
            case TIMESTAMP_MICROS -> {
                if (observation.truncated() && truncatedTimestamp == null) {
                    truncatedTimestamp = new Example(observation.text(), sampleIndex);
                }
            }
            case STRING -> {
                if (stringCounts.size() <= MAX_ENUM_SYMBOLS || stringCounts.containsKey(observation.text())) {
                    stringCounts.merge(observation.text(), 1, Integer::sum);
                }
                stringsSymbolLike &= SYMBOL.matcher(observation.text()).matches();
            }
            default -> {
                // nothing beyond the kind itself matters for booleans, doubles, dates and composites
            }
        }
    }

    private void countScale(Observation observation, int sampleIndex) {
        int scale = Math.min(observation.scale(), MAX_SCALE);
        scaleCounts[scale]++;
        integerDigitsByScale[scale] = Math.max(integerDigitsByScale[scale], observation.integerDigits());
        if (scaleExamples[scale] == null) {
            scaleExamples[scale] = new Example(shorten(observation.text()), sampleIndex);
        }
    }

    /** A copy without the values of {@code outliers}, to type a field by its other values. */
    TypeAccumulator without(Set<Kind> outliers) {
        TypeAccumulator copy = new TypeAccumulator();
        kinds.forEach((kind, example) -> {
            if (!outliers.contains(kind)) {
                copy.kinds.put(kind, example);
            } else {
                copy.present -= example.count;
            }
        });
        copy.present += present;
        copy.nulls = nulls;
        copy.maxIntegerDigits = maxIntegerDigits;
        copy.maxScale = maxScale;
        copy.minScale = minScale;
        copy.trailingZeroFraction = trailingZeroFraction;
        copy.minInteger = minInteger;
        copy.maxInteger = maxInteger;
        copy.truncatedTimestamp = truncatedTimestamp;
        System.arraycopy(scaleCounts, 0, copy.scaleCounts, 0, scaleCounts.length);
        System.arraycopy(integerDigitsByScale, 0, copy.integerDigitsByScale, 0, integerDigitsByScale.length);
        System.arraycopy(scaleExamples, 0, copy.scaleExamples, 0, scaleExamples.length);
        copy.elements = elements;
        copy.emptyArrays = emptyArrays;
        copy.recordFields.putAll(recordFields);
        copy.records = records;
        return copy;
    }

    private static String shorten(String text) {
        return text.length() <= MAX_EXAMPLE_CHARS ? text : text.substring(0, MAX_EXAMPLE_CHARS - 3) + "...";
    }
}
