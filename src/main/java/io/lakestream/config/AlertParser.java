package io.lakestream.config;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.avro.Schema;

/**
 * Reads a pipeline's {@code alerts} section. A rule's {@code when} is a SQL condition, typed later with the other
 * expressions ({@link ExpressionParser}); the structured YAML form is checked here (every field must exist, every
 * literal must be comparable with it) and written as the same SQL.
 */
final class AlertParser {

    private static final Pattern RULE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final List<String> OPS = Arrays.stream(AlertConfig.Op.values()).map(o -> o.key).toList();
    private static final List<String> COMBINATORS = List.of("and", "or", "not");
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
            .withZone(ZoneOffset.UTC);

    private final Schema schema;

    /** @param schema the pipeline's schema; null when it could not be read (field checks are skipped) */
    AlertParser(Schema schema) {
        this.schema = schema;
    }

    AlertConfig alerts(YamlSection pipeline, String pipelineName, List<String> ownTopics, Pattern topic,
                       String topicRule) {
        YamlSection s = pipeline.section("alerts");
        String alertTopic = s.matching("topic", pipelineName + ".alerts", topic, topicRule);
        if (alertTopic != null && ownTopics.contains(alertTopic)) {
            s.problem("topic", "must differ from the pipeline's source, output and dead-letter topics, was "
                    + YamlSection.quote(alertTopic));
        }
        List<AlertConfig.Rule> rules = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<YamlSection> sections = s.list("rules");
        if (s.isPresent() && sections.isEmpty() && !s.has("rules")) {
            s.problem("rules", "is required; a list of {name, when}");
        }
        for (YamlSection r : sections) {
            String name = r.required("name", "a rule name of letters, digits, '.', '_', '-'");
            if (name != null && !RULE_NAME.matcher(name).matches()) {
                r.problem("name", "must be letters, digits, '.', '_', '-' (at most 100), was " + YamlSection.quote(name));
            } else if (name != null && !names.add(name)) {
                r.problem("name", "\"" + name + "\" is already the name of another rule; rule names must be unique");
            }
            String condition;
            if (r.has("when") && r.value("when").isTextual()) {
                condition = r.string("when", null);
            } else {
                YamlSection when = r.section("when");
                if (!when.isPresent() && !r.has("when")) {
                    r.problem("when", "is required; a SQL condition like \"event_type = 'order' AND amount > 1000\"");
                }
                AlertConfig.Condition structured = when.isPresent() ? condition(when) : null;
                condition = structured == null ? null : sql(structured);
            }
            r.finish();
            if (name != null && condition != null) {
                rules.add(new AlertConfig.Rule(name, condition));
            }
        }
        s.finish();
        return new AlertConfig(alertTopic, List.copyOf(rules));
    }

    private AlertConfig.Condition condition(YamlSection c) {
        List<String> present = c.keys().stream().filter(COMBINATORS::contains).toList();
        if (present.size() > 1 || (!present.isEmpty() && c.keys().contains("field"))) {
            c.problem(present.get(0), "a condition is one of: {field: ..., <op>: ...}, {and: [...]}, {or: [...]}, "
                    + "{not: {...}}; nest them to combine");
            return null;
        }
        AlertConfig.Condition out;
        if (present.contains("not")) {
            YamlSection inner = c.section("not");
            out = inner.isPresent() ? condition(inner) : null;
            out = out == null ? null : new AlertConfig.Not(out);
        } else if (!present.isEmpty()) {
            String key = present.get(0);
            List<YamlSection> items = c.list(key);
            if (items.isEmpty()) {
                c.problem(key, "must be a non-empty list of conditions");
            }
            List<AlertConfig.Condition> parts = new ArrayList<>();
            for (YamlSection item : items) {
                parts.add(condition(item));
            }
            boolean complete = !parts.isEmpty() && parts.stream().allMatch(java.util.Objects::nonNull);
            out = !complete ? null : "and".equals(key) ? new AlertConfig.All(List.copyOf(parts))
                    : new AlertConfig.Any(List.copyOf(parts));
        } else {
            out = compare(c);
        }
        c.finish();
        return out;
    }

    private AlertConfig.Condition compare(YamlSection c) {
        String field = c.required("field", "a top-level field of the schema, or use and/or/not");
        List<String> ops = c.keys().stream().filter(OPS::contains).toList();
        if (ops.size() != 1) {
            c.problem(ops.isEmpty() ? "field" : ops.get(1), "a comparison has exactly one operator of "
                    + String.join(", ", OPS) + (ops.isEmpty() ? "" : "; use and/or to combine"));
            ops.forEach(c::value);
            return null;
        }
        AlertConfig.Op op = AlertConfig.Op.valueOf(ops.get(0).toUpperCase(java.util.Locale.ROOT));
        List<String> literals = op == AlertConfig.Op.IN ? c.strings(op.key, false) : single(c, op.key);
        if (field == null || literals == null || schema == null) {
            return null;
        }
        Schema.Field f = schema.getField(field);
        if (f == null) {
            c.problem("field", new SchemaFields(schema).missing(field) + "; rules read top-level fields");
            return null;
        }
        FieldKind kind = FieldKind.of(f.schema());
        boolean orderable = kind.numeric() || kind.temporal();
        if (op.ordering() && !orderable) {
            c.problem(op.key, "type mismatch: field \"" + field + "\" is " + kind.name().toLowerCase(java.util.Locale.ROOT)
                    + " and allows eq, ne, in only; gt, ge, lt, le need a number, decimal, timestamp or date");
            return null;
        }
        List<Object> operands = new ArrayList<>();
        for (int i = 0; i < literals.size(); i++) {
            String at = op == AlertConfig.Op.IN ? op.key + "[" + i + "]" : op.key;
            Object v = literal(c, at, literals.get(i), f, kind);
            if (v == null) {
                return null;
            }
            operands.add(v);
        }
        if (operands.isEmpty()) {
            c.problem(op.key, "must be a non-empty list of values");
            return null;
        }
        return new AlertConfig.Compare(field, op, List.copyOf(operands));
    }

    /** The structured form as a SQL condition; its literals were checked against their fields' types. */
    private String sql(AlertConfig.Condition c) {
        if (c instanceof AlertConfig.All all) {
            return all.conditions().stream().map(this::sql).collect(Collectors.joining(" AND ", "(", ")"));
        }
        if (c instanceof AlertConfig.Any any) {
            return any.conditions().stream().map(this::sql).collect(Collectors.joining(" OR ", "(", ")"));
        }
        if (c instanceof AlertConfig.Not not) {
            return "NOT " + sql(not.condition());
        }
        AlertConfig.Compare compare = (AlertConfig.Compare) c;
        FieldKind kind = FieldKind.of(schema.getField(compare.field()).schema());
        List<String> literals = compare.operands().stream().map(o -> literalSql(o, kind)).toList();
        String field = "\"" + compare.field() + "\"";
        return switch (compare.op()) {
            case EQ -> field + " = " + literals.get(0);
            case NE -> field + " <> " + literals.get(0);
            case GT -> field + " > " + literals.get(0);
            case GE -> field + " >= " + literals.get(0);
            case LT -> field + " < " + literals.get(0);
            case LE -> field + " <= " + literals.get(0);
            case IN -> field + " IN (" + String.join(", ", literals) + ")";
        };
    }

    private static String literalSql(Object operand, FieldKind kind) {
        return switch (kind) {
            case INTEGER, FLOATING, DECIMAL -> ((BigDecimal) operand).toPlainString();
            case TIMESTAMP_MILLIS -> "TIMESTAMP '" + TIMESTAMP.format(Instant.ofEpochMilli((Long) operand)) + "'";
            case TIMESTAMP_MICROS -> "TIMESTAMP '" + TIMESTAMP.format(Instant.EPOCH.plus((Long) operand,
                    ChronoUnit.MICROS)) + "'";
            case DATE -> "DATE '" + LocalDate.ofEpochDay((Integer) operand) + "'";
            case BOOLEAN -> operand.toString().toUpperCase(java.util.Locale.ROOT);
            default -> "'" + operand.toString().replace("'", "''") + "'";
        };
    }

    private static List<String> single(YamlSection c, String key) {
        String v = c.string(key, null);
        if (v == null && !c.has(key)) {
            c.problem(key, "needs a value to compare with (a null value never matches)");
        }
        return v == null ? null : List.of(v);
    }

    /** The literal in the comparable form of {@link AlertConfig.Compare}, or null after reporting why not. */
    private static Object literal(YamlSection c, String at, String text, Schema.Field f, FieldKind kind) {
        try {
            return switch (kind) {
                case INTEGER, FLOATING, DECIMAL -> new BigDecimal(text.trim());
                case TIMESTAMP_MILLIS -> instant(text).toEpochMilli();
                case TIMESTAMP_MICROS -> Math.addExact(Math.multiplyExact(instant(text).getEpochSecond(), 1_000_000L),
                        instant(text).getNano() / 1000L);
                case DATE -> (int) LocalDate.parse(text.trim()).toEpochDay();
                case STRING -> text;
                case ENUM -> enumSymbol(c, at, text, f);
                case BOOLEAN -> bool(c, at, text);
                case OTHER -> {
                    c.problem("field", "type mismatch: field \"" + f.name() + "\" (a record, array, map, bytes or "
                            + "multi-type union) cannot be compared");
                    yield null;
                }
            };
        } catch (NumberFormatException e) {
            c.problem(at, "type mismatch: field \"" + f.name() + "\" is a number, was " + YamlSection.quote(text));
        } catch (DateTimeParseException | ArithmeticException e) {
            c.problem(at, "type mismatch: field \"" + f.name() + "\" is a " + (kind == FieldKind.DATE
                    ? "date; give yyyy-MM-dd" : "timestamp; give an ISO-8601 instant like 2024-05-01T10:00:00Z")
                    + ", was " + YamlSection.quote(text));
        }
        return null;
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            return OffsetDateTime.parse(text.trim()).toInstant();
        }
    }

    private static Object enumSymbol(YamlSection c, String at, String text, Schema.Field f) {
        Schema e = FieldKind.nonNull(f.schema());
        if (!e.hasEnumSymbol(text)) {
            c.problem(at, "type mismatch: \"" + text + "\" is not a symbol of enum " + e.getName() + " (field \""
                    + f.name() + "\"); allowed: " + String.join(", ", e.getEnumSymbols()));
            return null;
        }
        return text;
    }

    private static Object bool(YamlSection c, String at, String text) {
        if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
            c.problem(at, "type mismatch: the field is a boolean; give true or false, was " + YamlSection.quote(text));
            return null;
        }
        return Boolean.parseBoolean(text);
    }
}
