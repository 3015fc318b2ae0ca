package io.lakestream.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One YAML mapping being read. Getters record problems (path + what is allowed) and return the default instead of
 * throwing, so one load reports every problem; {@link #finish()} reports the keys nobody asked for.
 */
final class YamlSection {

    private static final Pattern BYTES = Pattern.compile("(\\d+)(|B|KiB|MiB|GiB)");

    private final JsonNode node;
    private final String path;
    private final List<String> problems;
    private final Set<String> known = new LinkedHashSet<>();

    private YamlSection(JsonNode node, String path, List<String> problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    static YamlSection root(JsonNode node, List<String> problems) {
        return new YamlSection(node, "", problems);
    }

    String path() {
        return path;
    }

    boolean isPresent() {
        return node != null;
    }

    String at(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    void problem(String key, String message) {
        String at = at(key);
        // One problem per path: once a value (or its parent, or an unset variable in it) is reported, what follows
        // from it is no news.
        if (problems.stream().map(p -> p.substring(0, Math.max(p.indexOf(": "), 0)))
                .noneMatch(p -> at.equals(p) || at.startsWith(p + ".") || at.startsWith(p + "["))) {
            problems.add(at + ": " + message);
        }
    }

    /** The value at {@code key}, null when absent or YAML null; marks the key as known. */
    JsonNode value(String key) {
        known.add(key);
        JsonNode v = node == null ? null : node.get(key);
        // An empty value counts as unset, so that "${VAR:-}" can leave an optional setting out.
        return v == null || v.isNull() || (v.isTextual() && v.asText().isEmpty()) ? null : v;
    }

    boolean has(String key) {
        return value(key) != null;
    }

    String string(String key, String def) {
        JsonNode v = value(key);
        if (v == null) {
            return def;
        }
        if (!v.isValueNode()) {
            problem(key, "must be a single value, was " + kind(v));
            return def;
        }
        return v.asText();
    }

    String required(String key, String what) {
        String s = string(key, null);
        if (s == null || s.isBlank()) {
            if (!isValueProblem(key)) {
                problem(key, "is required; " + what);
            }
            return null;
        }
        return s;
    }

    private boolean isValueProblem(String key) {
        JsonNode v = value(key);
        return v != null && !v.isValueNode();
    }

    String matching(String key, String def, Pattern pattern, String what) {
        String s = string(key, def);
        if (s != null && !pattern.matcher(s).matches()) {
            problem(key, "must be " + what + ", was " + quote(s));
            return def;
        }
        return s;
    }

    /** One of {@code allowed} (compared case-insensitively, returned lower-case). */
    String choice(String key, String def, List<String> allowed) {
        String s = string(key, def);
        if (s == null) {
            return null;
        }
        String lower = s.toLowerCase(Locale.ROOT);
        if (!allowed.contains(lower)) {
            problem(key, "must be one of " + String.join(", ", allowed) + ", was " + quote(s));
            return null; // not the default: checks that depend on this choice must not run on a guess
        }
        return lower;
    }

    Duration duration(String key, Duration def, boolean zeroAllowed) {
        String s = string(key, null);
        if (s == null) {
            return def;
        }
        Duration d = Durations.parseOrNull(s);
        if (d == null || (!zeroAllowed && d.isZero())) {
            problem(key, (zeroAllowed ? "must be a duration like 30s or 0s" : "must be a positive duration like 100s")
                    + " (units ms, s, m, h, d), was " + quote(s));
            return def;
        }
        return d;
    }

    int integer(String key, int def, int min, int max) {
        String s = string(key, null);
        if (s == null) {
            return def;
        }
        try {
            int n = Integer.parseInt(s.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problem(key, "must be a whole number from " + min + " to " + max + ", was " + quote(s));
        return def;
    }

    /** A number from 0 to 1 (a ratio), e.g. {@code 0.05}. */
    double fraction(String key, double def) {
        String s = string(key, null);
        if (s == null) {
            return def;
        }
        try {
            double d = Double.parseDouble(s.trim());
            if (d >= 0 && d <= 1) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problem(key, "must be a number from 0 to 1 (a share, e.g. 0.05 for 5 %), was " + quote(s));
        return def;
    }

    long bytes(String key, long def, long min, long max) {
        String s = string(key, null);
        if (s == null) {
            return def;
        }
        Matcher m = BYTES.matcher(s.trim());
        if (m.matches()) {
            try {
                long unit = switch (m.group(2)) {
                    case "KiB" -> 1L << 10;
                    case "MiB" -> 1L << 20;
                    case "GiB" -> 1L << 30;
                    default -> 1L;
                };
                long n = Math.multiplyExact(Long.parseLong(m.group(1)), unit);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (ArithmeticException | NumberFormatException e) {
                // reported below
            }
        }
        problem(key, "must be a size from " + min + " to " + max + " bytes, like 16777216 or 16MiB, was " + quote(s));
        return def;
    }

    boolean bool(String key, boolean def) {
        String s = string(key, null);
        if (s == null) {
            return def;
        }
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(s);
        }
        problem(key, "must be true or false, was " + quote(s));
        return def;
    }

    char character(String key, char def) {
        String s = string(key, null);
        if (s == null) {
            return def;
        }
        String unescaped = s.equals("\\t") ? "\t" : s;
        if (unescaped.length() != 1 || unescaped.charAt(0) == '\n' || unescaped.charAt(0) == '\r') {
            problem(key, "must be a single character (\\t for tab), was " + quote(s));
            return def;
        }
        return unescaped.charAt(0);
    }

    /** A list of single values; a lone value counts as a one-element list when {@code single} is true. */
    List<String> strings(String key, boolean single) {
        JsonNode v = value(key);
        if (v == null) {
            return null;
        }
        if (single && v.isValueNode()) {
            return List.of(v.asText());
        }
        if (!v.isArray()) {
            problem(key, "must be a list, was " + kind(v));
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isValueNode() || v.get(i).isNull()) {
                problems.add(at(key) + "[" + i + "]: must be a single value, was " + kind(v.get(i)));
            } else {
                out.add(v.get(i).asText());
            }
        }
        return out;
    }

    /** A mapping of single values, stringified; keys verbatim. */
    Map<String, String> scalars(String key) {
        JsonNode v = value(key);
        Map<String, String> out = new LinkedHashMap<>();
        if (v == null) {
            return out;
        }
        if (!v.isObject()) {
            problem(key, "must be a mapping (key: value lines), was " + kind(v));
            return out;
        }
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (!e.getValue().isValueNode()) {
                problems.add(at(key) + "." + e.getKey() + ": must be a single value, was " + kind(e.getValue()));
            } else {
                out.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText());
            }
        }
        return out;
    }

    YamlSection section(String key) {
        JsonNode v = value(key);
        if (v != null && !v.isObject()) {
            problem(key, "must be a mapping (key: value lines), was " + kind(v));
            v = null;
        }
        return new YamlSection(v, at(key), problems);
    }

    List<YamlSection> list(String key) {
        JsonNode v = value(key);
        List<YamlSection> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!v.isArray()) {
            problem(key, "must be a list, was " + kind(v));
            return out;
        }
        for (int i = 0; i < v.size(); i++) {
            String itemPath = at(key) + "[" + i + "]";
            if (!v.get(i).isObject()) {
                problems.add(itemPath + ": must be a mapping (key: value lines), was " + kind(v.get(i)));
            } else {
                out.add(new YamlSection(v.get(i), itemPath, problems));
            }
        }
        return out;
    }

    /** The keys of this mapping in YAML order (empty when absent); they still count as unknown until read. */
    List<String> keys() {
        List<String> out = new ArrayList<>();
        if (node != null) {
            node.fieldNames().forEachRemaining(out::add);
        }
        return out;
    }

    /** Reports every key present but never asked for, with the closest known key when there is one. */
    void finish() {
        if (node == null) {
            return;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                String hint = closest(key, known).map(k -> "; did you mean \"" + k + "\"?").orElse("");
                problem(key, "unknown key" + hint + " (allowed: " + String.join(", ", known) + ")");
            }
        }
    }

    static Optional<String> closest(String key, Set<String> candidates) {
        String folded = fold(key);
        return candidates.stream()
                .filter(c -> fold(c).equals(folded) || distance(key, c) <= Math.max(1, Math.min(2, key.length() / 4)))
                .min(Comparator.comparingInt(c -> fold(c).equals(folded) ? -1 : distance(key, c)));
    }

    private static String fold(String s) {
        return s.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }

    /** Edits (insert, delete, replace, swap of neighbours: "fromat") that turn {@code a} into {@code b}. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    static String quote(String s) {
        return '"' + s + '"';
    }

    private static String kind(JsonNode v) {
        if (v.isObject()) {
            return "a mapping";
        }
        if (v.isArray()) {
            return "a list";
        }
        return v.isNull() ? "null" : quote(v.asText());
    }
}
