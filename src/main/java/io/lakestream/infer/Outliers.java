package io.lakestream.infer;

import io.lakestream.infer.Observation.Kind;
import io.lakestream.infer.TypeAccumulator.Example;
import io.lakestream.infer.TypeResolver.Resolution;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * Typing by majority: a timestamp or number column with a few malformed values ("N/A", a cut-off date) is still a
 * timestamp or a number, and the malformed values are reported as the dead letters they would become. Falling back
 * to string would type the column for its noise and lose the type for every good value.
 */
final class Outliers {

    /** At most this share of a field's values may disagree with the type the rest agree on. */
    static final double MAX_OUTLIER_SHARE = 0.05;

    /** Kinds that make one type together, in the order they are tried. */
    private static final List<Set<Kind>> GROUPS = List.of(
            EnumSet.of(Kind.INT, Kind.LONG, Kind.DECIMAL, Kind.DOUBLE, Kind.INTEGER_STRING),
            EnumSet.of(Kind.TIMESTAMP_MILLIS, Kind.TIMESTAMP_MICROS), EnumSet.of(Kind.DATE),
            EnumSet.of(Kind.BOOLEAN));

    private Outliers() {
    }

    /** The type of the agreeing majority with the outliers noted, or null when the values agree or no group wins. */
    static Resolution resolve(TypeAccumulator seen, String fieldName,
                              BiFunction<TypeAccumulator, String, Resolution> resolver) {
        if (seen.present == 0 || seen.kinds.size() < 2) {
            return null;
        }
        for (Set<Kind> group : GROUPS) {
            int inGroup = seen.kinds.entrySet().stream().filter(e -> group.contains(e.getKey()))
                    .mapToInt(e -> e.getValue().count).sum();
            int outliers = seen.present - inGroup;
            // integers in strings next to ids are not outliers of a number: the numeric resolver decides those
            if (inGroup == 0 || outliers == 0 || outliers > MAX_OUTLIER_SHARE * seen.present
                    || group.equals(GROUPS.get(0)) && inGroup == seen.kinds.getOrDefault(Kind.INTEGER_STRING,
                    new Example("", 0)).count) {
                continue;
            }
            Set<Kind> outlierKinds = EnumSet.complementOf(EnumSet.copyOf(group));
            Resolution majority = resolver.apply(seen.without(outlierKinds), fieldName);
            List<String> notes = new ArrayList<>();
            notes.add(String.format(Locale.ROOT, "%d outlier(s) of %d value(s) (%.1f %%) would go to the "
                            + "dead-letter topic: %s", outliers, seen.present, 100.0 * outliers / seen.present,
                    seen.kinds.entrySet().stream().filter(e -> !group.contains(e.getKey()))
                            .map(Outliers::describe).collect(Collectors.joining("; "))));
            notes.addAll(majority.notes());
            return new Resolution(majority.schema(), majority.timeFormat(), notes);
        }
        return null;
    }

    private static String describe(Map.Entry<Kind, Example> e) {
        return e.getKey().label + " " + e.getValue().count + "x, e.g. " + e.getValue();
    }
}
