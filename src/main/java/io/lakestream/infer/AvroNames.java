package io.lakestream.infer;

import java.text.Normalizer;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns source keys and column names into Avro field names that the Glue Data Catalog and Athena take as they
 * are: lower snake_case, {@code [a-z_][a-z0-9_]*}. Glue lowercases column names anyway, so camelCase would only
 * survive in the schema and diverge from the table.
 *
 * <p>Rules, in order: accents are dropped ({@code Ünïcode → Unicode}); camelCase boundaries become '_' ({@code claimTs → claim_ts}, {@code HTTPCode →
 * http_code}); lower case; every run of characters outside {@code [a-z0-9]} becomes one '_'; leading and
 * trailing '_' are dropped; an empty result becomes {@code field}; a leading digit gets the prefix {@code f_}.
 */
final class AvroNames {

    private static final Pattern COMBINING_MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern LOWER_OR_DIGIT_THEN_UPPER = Pattern.compile("([a-z0-9])([A-Z])");
    private static final Pattern UPPER_RUN_THEN_WORD = Pattern.compile("([A-Z]+)([A-Z][a-z])");
    private static final Pattern INVALID_RUN = Pattern.compile("[^a-z0-9]+");
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private AvroNames() {
    }

    /** One path segment (a JSON key or a CSV column) as a snake_case Avro name. */
    static String snakeCase(String sourceName) {
        String ascii = COMBINING_MARKS.matcher(Normalizer.normalize(sourceName, Normalizer.Form.NFD)).replaceAll("");
        String split = UPPER_RUN_THEN_WORD.matcher(ascii).replaceAll("$1_$2");
        split = LOWER_OR_DIGIT_THEN_UPPER.matcher(split).replaceAll("$1_$2");
        String name = INVALID_RUN.matcher(split.toLowerCase(Locale.ROOT)).replaceAll("_");
        name = trimUnderscores(name);
        if (name.isEmpty()) {
            return "field";
        }
        return Character.isDigit(name.charAt(0)) ? "f_" + name : name;
    }

    /** Flattened name of a nested path: the snake_case segments joined by '_'. */
    static String flattened(Iterable<String> segments) {
        StringBuilder joined = new StringBuilder();
        for (String segment : segments) {
            if (joined.length() > 0) {
                joined.append('_');
            }
            joined.append(snakeCase(segment));
        }
        return joined.length() == 0 ? "field" : joined.toString();
    }

    /** JSON path segment: {@code .key} for plain keys, {@code ['odd key']} otherwise. */
    static String jsonPathSegment(String key) {
        if (PLAIN_KEY.matcher(key).matches()) {
            return "." + key;
        }
        return "['" + key.replace("\\", "\\\\").replace("'", "\\'") + "']";
    }

    /** PascalCase record name derived from a field name, e.g. {@code claim_lines → ClaimLines}. */
    static String recordName(String fieldName) {
        StringBuilder name = new StringBuilder();
        for (String part : fieldName.split("_")) {
            if (!part.isEmpty()) {
                name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        if (name.length() == 0 || Character.isDigit(name.charAt(0))) {
            name.insert(0, 'R');
        }
        return name.toString();
    }

    private static String trimUnderscores(String name) {
        int start = 0;
        int end = name.length();
        while (start < end && name.charAt(start) == '_') {
            start++;
        }
        while (end > start && name.charAt(end - 1) == '_') {
            end--;
        }
        return name.substring(start, end);
    }

    /**
     * Hands out unique names in call order: the first claimant keeps a name, later ones get {@code _2},
     * {@code _3}, ... (the smallest suffix not yet taken), so the result depends only on first-seen order.
     */
    static final class Registry {
        private final Set<String> taken = new HashSet<>();

        String claim(String wanted) {
            if (taken.add(wanted)) {
                return wanted;
            }
            for (int suffix = 2; ; suffix++) {
                String candidate = wanted + "_" + suffix;
                if (taken.add(candidate)) {
                    return candidate;
                }
            }
        }
    }
}
