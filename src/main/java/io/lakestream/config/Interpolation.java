package io.lakestream.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in YAML text values with environment variables, after the
 * YAML is parsed, so a variable's value can never change the document's structure. As in the shell, the default is
 * used when the variable is unset or empty; {@code $${} stands for a literal {@code ${}. Keys are not interpolated.
 */
final class Interpolation {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\$\\{|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");

    static final String UNSET = "environment variable ";

    private Interpolation() {
    }

    static JsonNode apply(JsonNode node, Map<String, String> env, String path, List<String> problems) {
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                String childPath = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                out.set(e.getKey(), apply(e.getValue(), env, childPath, problems));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < node.size(); i++) {
                out.add(apply(node.get(i), env, path + "[" + i + "]", problems));
            }
            return out;
        }
        if (node.isTextual() && node.asText().contains("${")) {
            return JsonNodeFactory.instance.textNode(replace(node.asText(), env, path, problems));
        }
        return node;
    }

    private static String replace(String text, Map<String, String> env, String path, List<String> problems) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group(1) == null) {
                replacement = "${";
            } else {
                String value = env.get(m.group(1));
                if (m.group(2) != null && (value == null || value.isEmpty())) {
                    replacement = m.group(3);
                } else if (value == null) {
                    problems.add(path + ": " + UNSET + m.group(1) + " is not set and has no default; set it"
                            + " or write ${" + m.group(1) + ":-default}");
                    replacement = "";
                } else {
                    replacement = value;
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
