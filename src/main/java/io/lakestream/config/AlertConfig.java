package io.lakestream.config;

import java.util.List;

/**
 * Alert rules of a pipeline: every normalized record matching a rule is copied, protected, to {@code topic} with
 * the rule's name in a header, in the same transaction as the normalized record.
 *
 * @param topic alert topic, default {@code <pipeline>.alerts}
 * @param rules rules in the order declared; a record matching several is copied once per rule
 */
public record AlertConfig(String topic, List<Rule> rules) {

    public static AlertConfig none(String pipeline) {
        return new AlertConfig(pipeline + ".alerts", List.of());
    }

    /**
     * @param name rule name: the header value and the metric's {@code rule} tag
     * @param when SQL condition over the protected record and its derived columns (the structured YAML form is
     *             written as one: {@code {field: amount, gt: 1000}} is {@code "amount" > 1000})
     */
    public record Rule(String name, String when) {
    }

    /** The structured YAML form of a condition, as parsed; {@link AlertParser} writes it as SQL. */
    public sealed interface Condition permits All, Any, Not, Compare {
    }

    public record All(List<Condition> conditions) implements Condition {
    }

    public record Any(List<Condition> conditions) implements Condition {
    }

    public record Not(Condition condition) implements Condition {
    }

    /**
     * @param field    top-level field
     * @param op       comparison
     * @param operands literals already in the field's comparable form: {@link java.math.BigDecimal} for decimals and
     *                 every number, {@code Long} for timestamps (the field's unit) and {@code Integer} days for dates,
     *                 {@code String} for strings and enum symbols, {@code Boolean}; one operand except for IN
     */
    public record Compare(String field, Op op, List<Object> operands) implements Condition {
    }

    public enum Op {
        EQ("eq"), NE("ne"), GT("gt"), GE("ge"), LT("lt"), LE("le"), IN("in");

        public final String key;

        Op(String key) {
            this.key = key;
        }

        public boolean ordering() {
            return this == GT || this == GE || this == LT || this == LE;
        }
    }
}
