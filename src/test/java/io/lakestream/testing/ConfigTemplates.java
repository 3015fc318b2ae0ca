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
     * @param template a config file; files it names relatively (schemas) must be made reachable by the caller
     * @return the written file
     */
    public static Path render(Path template, Map<String, String> env, Path target) throws IOException {
        Matcher m = VAR.matcher(Files.readString(template));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.containsKey(m.group(1)) ? env.get(m.group(1)) : m.group(3);
            if (value == null) {
                throw new IllegalArgumentException(template + " needs " + m.group(1));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        Files.createDirectories(target.getParent());
        Files.writeString(target, out.toString());
        return target;
    }
}
