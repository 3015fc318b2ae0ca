package io.lakestream.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a config file with its {@code ${VAR}} / {@code ${VAR:-default}} references already resolved from a map, for
 * tests that run the CLI (which reads the real environment) or a separate JVM.
 */
public final class ConfigTemplates {

    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Z0-9_]+)(:-([^}]*))?}");

    private ConfigTemplates() {
    }

    /**
     * The YAML of a claims config file ({@code config/claims.yaml}, {@code config/claims-protected.yaml}) with its raw
     * topic and pipeline renamed, so that tests sharing a broker never meet in a topic.
     */
    public static String claims(Path configFile, String rawTopic, String pipeline) throws IOException {
        return Files.readString(configFile).replace("onprem.claims.raw", rawTopic)
                .replace("- name: claims\n", "- name: " + pipeline + "\n");
    }

    /**
     * The YAML of a config file whose application leaves the consumer group 6 s after it stops (the broker's least
     * session timeout) instead of Kafka's default 45 s: Kafka Streams does not leave the group when it closes, so
     * the next instance of the same application id (a restart, a {@code run --until-caught-up} after the service)
     * would wait that long for the partitions.
     */
    public static String shortSession(String yaml) {
        if (!yaml.contains("\nkafka:\n")) {
            throw new IllegalArgumentException("no block-style kafka: section in\n" + yaml);
        }
        return yaml.replace("\nkafka:\n",
                "\nkafka:\n  session.timeout.ms: \"6000\"\n  heartbeat.interval.ms: \"1500\"\n");
    }

    /**
     * @param template a config file; files it names relatively (schemas) must be made reachable by the caller
     * @return the written file
     */
    public static Path render(Path template, Map<String, String> env, Path target) throws IOException {
        return render(Files.readString(template), template.toString(), env, target);
    }

    /** @param source names the text in the message of a missing variable */
    public static Path render(String text, String source, Map<String, String> env, Path target) throws IOException {
        Matcher m = VAR.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.containsKey(m.group(1)) ? env.get(m.group(1)) : m.group(3);
            if (value == null) {
                throw new IllegalArgumentException(source + " needs " + m.group(1));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.writeString(target, out.toString());
        return target;
    }
}
