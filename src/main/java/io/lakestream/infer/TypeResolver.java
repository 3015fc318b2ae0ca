package io.lakestream.infer;

import io.lakestream.infer.Observation.Kind;
import io.lakestream.infer.TypeAccumulator.Example;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Joins what a {@link TypeAccumulator} saw into one Avro type, walking up the lattice boolean | int → long →
 * decimal(p,s) → double | date | timestamp-millis → timestamp-micros | string, and writes down why each narrower
 * candidate was rejected. Money stays exact: double only when a value is written with an exponent or needs more
 * than 38 digits.
 */
final class TypeResolver {

    /**
     * @param schema     the non-null Avro type
     * @param timeFormat how the source writes a timestamp ({@code iso-8601}, {@code epoch-seconds},
     *                   {@code epoch-millis}, {@code epoch-micros}), null when not a timestamp
     * @param notes      why the type is what it is, when that is not obvious
     */
    record Resolution(Schema schema, String timeFormat, List<String> notes) {
    }

    private static final Set<Kind> NUMERIC = EnumSet.of(Kind.INT, Kind.LONG, Kind.DECIMAL, Kind.DOUBLE,
            Kind.INTEGER_STRING);
    private static final Set<Kind> TIMESTAMPS = EnumSet.of(Kind.TIMESTAMP_MILLIS, Kind.TIMESTAMP_MICROS);
    /** Values an enum is proposed from at the least, and the least count of each symbol. */
    static final int MIN_ENUM_VALUES = 200;
    static final int MIN_SYMBOL_COUNT = 3;

    private final String namespace;
    private final AvroNames.Registry recordNames;

    /** @param recordNames names of records already in the schema; nested records claim theirs from it */
    TypeResolver(String namespace, AvroNames.Registry recordNames) {
        this.namespace = namespace;
        this.recordNames = recordNames;
    }

    Resolution resolve(TypeAccumulator seen, String fieldName) {
        Resolution byMajority = Outliers.resolve(seen, fieldName, this::resolveAll);
        return byMajority != null ? byMajority : resolveAll(seen, fieldName);
    }

    private Resolution resolveAll(TypeAccumulator seen, String fieldName) {
        Set<Kind> kinds = seen.kinds.keySet();
        if (kinds.isEmpty()) {
            return string(List.of("no sample has a value: typed as string"));
        }
        if (kinds.equals(Set.of(Kind.ARRAY))) {
            return array(seen, fieldName);
        }
        if (kinds.equals(Set.of(Kind.RECORD))) {
            return record(seen, fieldName);
        }
        if (NUMERIC.containsAll(kinds)) {
            return NumericResolver.resolve(seen, fieldName);
        }
        if (kinds.equals(Set.of(Kind.BOOLEAN))) {
            return new Resolution(Schema.create(Schema.Type.BOOLEAN), null, List.of());
        }
        if (TIMESTAMPS.containsAll(kinds)) {
            return timestamp(seen);
        }
        if (kinds.equals(Set.of(Kind.DATE))) {
            return new Resolution(LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT)), null, List.of());
        }
        if (kinds.equals(Set.of(Kind.LOCAL_DATE_TIME))) {
            return string(List.of("date-times without a UTC offset, e.g. " + seen.kinds.get(Kind.LOCAL_DATE_TIME)
                    + ": kept as string; as timestamps they need event-time.zone (the zone they were written in)"));
        }
        if (kinds.equals(Set.of(Kind.STRING))) {
            return enumOrString(seen, fieldName);
        }
        if (kinds.equals(Set.of(Kind.STRING, Kind.INTEGER_STRING))) {
            return string(List.of());
        }
        return string(List.of("mixed types, kept as string: " + seen.kinds.entrySet().stream()
                .map(entry -> entry.getKey().label + " " + entry.getValue().count + "x, e.g. " + entry.getValue())
                .collect(Collectors.joining("; "))));
    }

    static Resolution string(List<String> notes) {
        return new Resolution(Schema.create(Schema.Type.STRING), null, notes);
    }

    /**
     * A string with few distinct values becomes an enum when the samples are enough to trust the list: at most
     * {@value TypeAccumulator#MAX_ENUM_SYMBOLS} symbol-like values in at least {@value #MIN_ENUM_VALUES} values, each
     * seen at least {@value #MIN_SYMBOL_COUNT} times. Then a misspelt or unknown value is dead-lettered instead of
     * landing, which is the point, and the note says so; below those counts it stays a string, with the reason.
     */
    private Resolution enumOrString(TypeAccumulator seen, String fieldName) {
        Map<String, Integer> counts = seen.stringCounts;
        if (!seen.stringsSymbolLike || counts.size() > TypeAccumulator.MAX_ENUM_SYMBOLS) {
            return string(List.of());
        }
        String candidate = "enum candidate: " + counts.size() + " distinct value(s) " + counts.keySet() + " in "
                + seen.present + " value(s); kept as string: ";
        if (seen.present < MIN_ENUM_VALUES) {
            return string(List.of(candidate + "an enum is proposed from " + MIN_ENUM_VALUES + " values on"));
        }
        List<String> rare = counts.entrySet().stream().filter(e -> e.getValue() < MIN_SYMBOL_COUNT)
                .map(e -> "'" + e.getKey() + "' " + e.getValue() + "x").toList();
        if (!rare.isEmpty()) {
            return string(List.of(candidate + "seen fewer than " + MIN_SYMBOL_COUNT + " times: "
                    + String.join(", ", rare)));
        }
        String name = recordNames.claim(AvroNames.recordName(fieldName));
        Schema schema = Schema.createEnum(name, null, namespace, List.copyOf(counts.keySet()));
        return new Resolution(schema, null, List.of("enum of " + counts.size() + " symbol(s) from " + seen.present
                + " value(s): " + counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ")) + "; any other value (a new kind, a typo) will go to the "
                + "dead-letter topic as UNKNOWN_ENUM: add its symbol to the schema before producers send it"));
    }

    private static Resolution timestamp(TypeAccumulator seen) {
        List<String> notes = new ArrayList<>();
        Example micros = seen.kinds.get(Kind.TIMESTAMP_MICROS);
        if (micros == null) {
            return new Resolution(timestampMillis(), "iso-8601", notes);
        }
        if (seen.kinds.containsKey(Kind.TIMESTAMP_MILLIS)) {
            notes.add("timestamp-millis rejected: sub-millisecond digits in " + micros);
        }
        if (seen.truncatedTimestamp != null) {
            notes.add("digits beyond microseconds are dropped, e.g. " + seen.truncatedTimestamp);
        }
        Schema schema = LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
        return new Resolution(schema, "iso-8601", notes);
    }

    static Schema timestampMillis() {
        return LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
    }

    private Resolution array(TypeAccumulator seen, String fieldName) {
        TypeAccumulator elements = seen.elements;
        List<String> notes = new ArrayList<>();
        if (elements.kinds.isEmpty()) {
            notes.add("arrays were empty or held only nulls in every sample: element type string is a guess");
        }
        Resolution element = resolve(elements, fieldName);
        element.notes().forEach(note -> notes.add("elements: " + note));
        Schema elementSchema = elements.nulls > 0 || elements.kinds.isEmpty()
                ? Schema.createUnion(Schema.create(Schema.Type.NULL), element.schema())
                : element.schema();
        return new Resolution(Schema.createArray(elementSchema), element.timeFormat(), notes);
    }

    /** An object inside an array: a nested record whose fields are the object's keys as snake_case. */
    private Resolution record(TypeAccumulator seen, String fieldName) {
        String recordName = recordNames.claim(AvroNames.recordName(fieldName));
        AvroNames.Registry fieldNames = new AvroNames.Registry();
        List<Schema.Field> fields = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Map.Entry<String, TypeAccumulator> entry : seen.recordFields.entrySet()) {
            String name = fieldNames.claim(AvroNames.snakeCase(entry.getKey()));
            TypeAccumulator field = entry.getValue();
            Resolution resolved = resolve(field, name);
            resolved.notes().forEach(note -> notes.add(name + ": " + note));
            fields.add(field(name, resolved.schema(), "source: " + entry.getKey(),
                    field.present < seen.records));
        }
        Schema schema = Schema.createRecord(recordName, null, namespace, false, fields);
        return new Resolution(schema, null, notes);
    }

    /** A field, as an optional union {@code ["null", T]} with default null when some sample lacks a value. */
    static Schema.Field field(String name, Schema type, String doc, boolean nullable) {
        if (!nullable) {
            return new Schema.Field(name, type, doc);
        }
        Schema union = type.getType() == Schema.Type.UNION ? type
                : Schema.createUnion(Schema.create(Schema.Type.NULL), type);
        return new Schema.Field(name, union, doc, JsonProperties.NULL_VALUE);
    }

    static String range(BigInteger min, BigInteger max) {
        return min.equals(max) ? min.toString() : min + ".." + max;
    }
}
