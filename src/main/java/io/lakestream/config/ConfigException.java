package io.lakestream.config;

import java.util.List;

/**
 * An invalid configuration: every problem found, each naming its YAML path (e.g.
 * {@code pipelines[0].aggregations[1].window.size: must be a positive duration like 100s, was "abc"}).
 */
public final class ConfigException extends RuntimeException {

    private final List<String> problems;

    public ConfigException(String source, List<String> problems) {
        super("invalid configuration " + source + ":\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per problem, {@code <yaml path>: <what is wrong and what is allowed>}, in file order. */
    public List<String> problems() {
        return problems;
    }
}
