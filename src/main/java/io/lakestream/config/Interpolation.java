package io.lakestream.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in YAML text values with environment variables, and
 * {@code ${file:PATH}} with the content of a file (a secret mounted by Docker, Kubernetes or ECS), after the YAML is
 * parsed, so a value can never change the document's structure. As in the shell, the default is used when the
 * variable is unset or empty; {@code $${} stands for a literal {@code ${}. Keys are not interpolated, and replaced
 * text is not interpolated again.
 *
 * <p>{@code ${file:PATH}}: PATH has no {@code :} (and does not start with {@code -}, which would be
 * {@code ${file:-default}}, the variable {@code file} with a default); a relative PATH is resolved against the
 * config file's folder; the content is read as UTF-8 with trailing line breaks removed. Kafka's own config-provider
 * references, {@code ${provider:path:key}} such as {@code ${file:/etc/kafka/secrets.properties:ssl.key.password}},
 * have a second {@code :} and are left untouched for the Kafka clients to resolve.
 */
final class Interpolation {

    private static final Pattern VARIABLE = Pattern.compile(
            "\\$\\$\\{|\\$\\{file:([^:}\\-][^:}]*)}|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");
    /** A secret file larger than this is a wrong path (a keystore, a log), not a password or a PEM key. */
    static final long MAX_SECRET_FILE_BYTES = 1 << 20;

    static final String UNSET = "environment variable ";

    private Interpolation() {
    }

    /** @param baseDir folder that relative {@code ${file:PATH}} paths are resolved against */
    static JsonNode apply(JsonNode node, Map<String, String> env, Path baseDir, String path, List<String> problems) {
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                String childPath = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                out.set(e.getKey(), apply(e.getValue(), env, baseDir, childPath, problems));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < node.size(); i++) {
                out.add(apply(node.get(i), env, baseDir, path + "[" + i + "]", problems));
            }
            return out;
        }
        if (node.isTextual() && node.asText().contains("${")) {
            return JsonNodeFactory.instance.textNode(replace(node.asText(), env, baseDir, path, problems));
        }
        return node;
    }

    private static String replace(String text, Map<String, String> env, Path baseDir, String path,
                                  List<String> problems) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group(1) != null) {
                replacement = secretFile(m.group(1), baseDir, path, problems);
            } else if (m.group(2) == null) {
                replacement = "${";
            } else {
                String value = env.get(m.group(2));
                if (m.group(3) != null && (value == null || value.isEmpty())) {
                    replacement = m.group(4);
                } else if (value == null) {
                    problems.add(path + ": " + UNSET + m.group(2) + " is not set and has no default; set it"
                            + " or write ${" + m.group(2) + ":-default}");
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

    /**
     * The file's text without trailing line breaks. A problem names the YAML path and the file, and never quotes
     * the file's content: it is a secret.
     */
    private static String secretFile(String name, Path baseDir, String path, List<String> problems) {
        Path file = (baseDir == null ? Path.of(name) : baseDir.resolve(name)).toAbsolutePath().normalize();
        String why;
        try {
            if (Files.isDirectory(file)) {
                why = "it is a folder";
            } else if (Files.size(file) > MAX_SECRET_FILE_BYTES) {
                why = "it is larger than 1 MiB, so not a secret file";
            } else {
                // A strict decoder: a binary file (a keystore instead of its password) is an error, not mojibake.
                return stripLineBreaks(StandardCharsets.UTF_8.newDecoder()
                        .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString());
            }
        } catch (NoSuchFileException e) {
            why = "no such file";
        } catch (AccessDeniedException e) {
            why = "permission denied";
        } catch (CharacterCodingException e) {
            why = "it is not UTF-8 text";
        } catch (IOException e) {
            why = e.getClass().getSimpleName();
        }
        problems.add(path + ": cannot read the secret file " + file + " named by ${file:" + name + "}: " + why);
        return "";
    }

    private static String stripLineBreaks(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }
}
