package io.lakestream.runtime;

import io.lakestream.config.AggregationConfig;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.PipelineConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The window and aggregation definitions that state, objects and their keys depend on, as stable text: per pipeline
 * the landing window and grace; per aggregation its window (size, advance, grace), group-by and measures. Objects
 * are found again by window start and typed accumulators sit in the state stores, so a definition changed under the
 * same application id would mislabel objects and miscount aggregates. Keys name the YAML path.
 */
final class Definitions {

    private Definitions() {
    }

    /** YAML path of each definition → its settings as {@code name=value; ...}, in config order. */
    static Map<String, String> of(LakestreamConfig config) {
        Map<String, String> definitions = new LinkedHashMap<>();
        for (PipelineConfig p : config.pipelines()) {
            definitions.put("pipelines[" + p.name() + "].landing", "window=" + text(p.landing().window())
                    + "; grace=" + text(p.landing().grace()));
            for (AggregationConfig a : p.aggregations()) {
                definitions.put("pipelines[" + p.name() + "].aggregations[" + a.name() + "]",
                        "window.size=" + text(a.window().size()) + "; window.advance=" + text(a.window().advance())
                                + "; window.grace=" + text(a.window().grace()) + "; group-by=" + a.groupBy()
                                + "; measures=" + a.measures().stream().map(Definitions::measure)
                                .collect(Collectors.joining(", ", "[", "]")));
            }
        }
        return definitions;
    }

    /** What changed from {@code recorded} to {@code current}, one line per changed setting; definitions only in one
     * of the two (a new or removed aggregation) are not changes. */
    static List<String> changes(Map<String, String> recorded, Map<String, String> current) {
        List<String> changes = new ArrayList<>();
        current.forEach((path, now) -> {
            String before = recorded.get(path);
            if (before == null || before.equals(now)) {
                return;
            }
            Map<String, String> old = settings(before);
            Map<String, String> neu = settings(now);
            neu.forEach((k, v) -> {
                if (!v.equals(old.get(k))) {
                    changes.add(path + "." + k + ": " + old.getOrDefault(k, "(unset)") + " → " + v);
                }
            });
            old.keySet().stream().filter(k -> !neu.containsKey(k))
                    .forEach(k -> changes.add(path + "." + k + ": " + old.get(k) + " → (unset)"));
        });
        return changes;
    }

    private static Map<String, String> settings(String text) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String part : text.split("; ")) {
            int eq = part.indexOf('=');
            settings.put(eq < 0 ? part : part.substring(0, eq), eq < 0 ? "" : part.substring(eq + 1));
        }
        return settings;
    }

    private static String measure(AggregationConfig.MeasureConfig m) {
        String fn = m.fn().name().toLowerCase(java.util.Locale.ROOT);
        // A sketch of another size is another accumulator layout.
        String sketch = m.fn() == AggregationConfig.MeasureFn.COUNT_DISTINCT ? " lg-k " + m.lgK() : "";
        return m.name() + ":" + fn + (m.field() == null ? "" : "(" + m.field() + ")") + sketch;
    }

    /** 100s, 1500ms, 2h: the shortest exact form. */
    static String text(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s % 86_400 == 0 && s > 0) {
            return s / 86_400 + "d";
        }
        if (s % 3600 == 0 && s > 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0 && s > 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
