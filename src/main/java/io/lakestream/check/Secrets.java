package io.lakestream.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The secret values of a Kafka client configuration (passwords, JAAS configs, keys, tokens), so that no check
 * result ever shows one: error messages from client libraries are shown to the operator as they are, and a
 * library that echoes a setting must not leak it.
 */
final class Secrets {

    static final String MASK = "[hidden]";
    private static final Pattern SECRET_KEY = Pattern.compile("password|secret|jaas|token|credential|\\.key$");
    /** {@code name="value"} options inside a JAAS config, e.g. {@code password="..."}. */
    private static final Pattern JAAS_OPTION = Pattern.compile("([A-Za-z_.]+)\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern SECRET_OPTION = Pattern.compile("password|secret|token");

    private final List<String> values;

    private Secrets(List<String> values) {
        // Longest first, so a secret containing another is masked whole.
        this.values = values.stream().filter(v -> !v.isBlank()).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    static Secrets in(Map<String, String> kafka) {
        List<String> values = new ArrayList<>();
        kafka.forEach((key, value) -> {
            if (value != null && SECRET_KEY.matcher(key.toLowerCase(Locale.ROOT)).find()) {
                values.add(value);
                Matcher option = JAAS_OPTION.matcher(value);
                while (option.find()) {
                    if (SECRET_OPTION.matcher(option.group(1).toLowerCase(Locale.ROOT)).find()) {
                        values.add(option.group(2));
                    }
                }
            }
        });
        return new Secrets(values);
    }

    String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : values) {
            out = out.replace(secret, MASK);
        }
        return out;
    }

    CheckResult redact(CheckResult result) {
        return result.withText(redact(result.detail()), redact(result.hint()));
    }
}
