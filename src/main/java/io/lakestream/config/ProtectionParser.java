package io.lakestream.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.avro.Schema;

/**
 * Reads and checks a pipeline's {@code protect} section and {@code dlq.include-original} against its schema, key,
 * event time and aggregations: a rule that would break a later stage is an error here, not at the first record.
 */
final class ProtectionParser {

    static final int MIN_SECRET_BYTES = HashSecret.MIN_BYTES;
    private static final List<String> METHODS = List.of("hash", "mask", "drop", "truncate-timestamp");

    private final Schema schema;

    /** @param schema the pipeline's schema; null when it could not be read (field checks are skipped) */
    ProtectionParser(Schema schema) {
        this.schema = schema;
    }

    ProtectionConfig protection(YamlSection pipeline, List<String> key, String eventTimeField,
                                List<AggregationConfig> aggregations) {
        YamlSection dlq = pipeline.section("dlq");
        boolean includeOriginal = dlq.bool("include-original", true);
        dlq.finish();
        YamlSection s = pipeline.section("protect");
        if (!s.isPresent()) {
            return new ProtectionConfig(Map.of(), null, includeOriginal);
        }
        ProtectionConfig.Encoding defaultEncoding = encoding(s, "hash-encoding", ProtectionConfig.Encoding.HEX);
        String secret = s.string("hash-secret", null);
        YamlSection fields = s.section("fields");
        if (fields.keys().isEmpty()) {
            s.problem("fields", "is required; a mapping of field: hash | mask | drop | {method: ..., ...}");
        }
        Map<String, ProtectionConfig.FieldRule> rules = new LinkedHashMap<>();
        for (String name : fields.keys()) {
            ProtectionConfig.FieldRule rule = rule(fields, name, defaultEncoding);
            if (rule != null && check(fields, name, rule, key, eventTimeField, aggregations)) {
                rules.put(name, rule);
            }
        }
        boolean hashes = rules.values().stream().anyMatch(r -> r.method() == ProtectionConfig.Method.HASH);
        if (hashes && (secret == null || secret.isBlank())) {
            s.problem("hash-secret", "is required when a field is hashed; the HMAC key, from ${ENV_VAR} or "
                    + "${file:/path/to/secret} (at least " + MIN_SECRET_BYTES + " bytes, 32 random bytes recommended)");
        } else if (hashes) {
            checkSecret(s, secret);
        }
        fields.finish();
        s.finish();
        return new ProtectionConfig(java.util.Collections.unmodifiableMap(rules), hashes ? secret : null,
                includeOriginal);
    }

    /** The decoded key is what counts: 32 hex digits are 16 bytes. Messages give lengths only, never the value. */
    private static void checkSecret(YamlSection s, String secret) {
        try {
            int length = HashSecret.key(secret).length;
            if (length < MIN_SECRET_BYTES) {
                s.problem("hash-secret", "must be at least " + MIN_SECRET_BYTES + " bytes (32 random bytes "
                        + "recommended), was " + length);
            }
        } catch (IllegalArgumentException e) {
            s.problem("hash-secret", e.getMessage());
        }
    }

    private static ProtectionConfig.FieldRule rule(YamlSection fields, String name,
                                                   ProtectionConfig.Encoding defaultEncoding) {
        JsonNode v = fields.value(name);
        if (v != null && v.isValueNode()) {
            return switch (v.asText()) {
                case "hash" -> new ProtectionConfig.FieldRule(ProtectionConfig.Method.HASH, defaultEncoding, 0, null,
                        '*', null);
                case "mask" -> new ProtectionConfig.FieldRule(ProtectionConfig.Method.MASK, null, 0, null, '*', null);
                case "drop" -> new ProtectionConfig.FieldRule(ProtectionConfig.Method.DROP, null, 0, null, '*', null);
                default -> {
                    fields.problem(name, "must be hash, mask, drop or a mapping with method: " + String.join(", ",
                            METHODS) + ", was " + YamlSection.quote(v.asText()));
                    yield null;
                }
            };
        }
        YamlSection r = fields.section(name);
        if (!r.isPresent()) {
            fields.problem(name, "must be hash, mask, drop or a mapping with method: " + String.join(", ", METHODS));
            return null;
        }
        String method = r.choice("method", null, METHODS);
        ProtectionConfig.FieldRule rule = null;
        if (method == null && !r.has("method")) {
            r.problem("method", "is required; one of " + String.join(", ", METHODS));
        } else if ("hash".equals(method)) {
            rule = new ProtectionConfig.FieldRule(ProtectionConfig.Method.HASH, encoding(r, "encoding",
                    defaultEncoding), 0, null, '*', null);
        } else if ("mask".equals(method)) {
            int keepLast = r.integer("keep-last", 0, 0, 64);
            Pattern pattern = pattern(r);
            char maskChar = r.character("char", '*');
            if (pattern != null && r.has("keep-last")) {
                r.problem("keep-last", "cannot be combined with pattern; pattern masks every match, keep-last all "
                        + "but the last characters");
            }
            rule = new ProtectionConfig.FieldRule(ProtectionConfig.Method.MASK, null, keepLast, pattern, maskChar,
                    null);
        } else if ("drop".equals(method)) {
            rule = new ProtectionConfig.FieldRule(ProtectionConfig.Method.DROP, null, 0, null, '*', null);
        } else if ("truncate-timestamp".equals(method)) {
            String to = r.choice("to", null, List.of("hour", "day"));
            if (to == null && !r.has("to")) {
                r.problem("to", "is required for truncate-timestamp; hour or day (UTC)");
            }
            rule = to == null ? null : new ProtectionConfig.FieldRule(ProtectionConfig.Method.TRUNCATE_TIMESTAMP,
                    null, 0, null, '*', "hour".equals(to) ? ChronoUnit.HOURS : ChronoUnit.DAYS);
        }
        r.finish();
        return rule;
    }

    private static Pattern pattern(YamlSection r) {
        String text = r.string("pattern", null);
        if (text == null) {
            return null;
        }
        try {
            Pattern p = Pattern.compile(text);
            if (p.matcher("").matches()) {
                r.problem("pattern", "must not match the empty string (it would mask nothing), was "
                        + YamlSection.quote(text));
            }
            return p;
        } catch (PatternSyntaxException e) {
            r.problem("pattern", "must be a Java regular expression, was " + YamlSection.quote(text) + " ("
                    + e.getDescription() + ")");
            return null;
        }
    }

    private static ProtectionConfig.Encoding encoding(YamlSection s, String key, ProtectionConfig.Encoding def) {
        String e = s.choice(key, def.name().toLowerCase(java.util.Locale.ROOT), List.of("hex", "base64"));
        return e == null ? def : ProtectionConfig.Encoding.valueOf(e.toUpperCase(java.util.Locale.ROOT));
    }

    /** @return whether the rule fits the field and every use of it */
    private boolean check(YamlSection fields, String name, ProtectionConfig.FieldRule rule, List<String> key,
                          String eventTimeField, List<AggregationConfig> aggregations) {
        if (schema == null) {
            return true;
        }
        Schema.Field field = schema.getField(name);
        if (field == null) {
            fields.problem(name, new SchemaFields(schema).missing(name) + "; only top-level fields can be protected");
            return false;
        }
        FieldKind kind = FieldKind.of(field.schema());
        String problem = switch (rule.method()) {
            case HASH, MASK -> kind == FieldKind.STRING || kind == FieldKind.ENUM || kind == FieldKind.INTEGER
                    || kind == FieldKind.DECIMAL ? null : "cannot be " + (rule.method() == ProtectionConfig.Method.HASH
                    ? "hashed" : "masked") + ": must be a string, enum, int, long or decimal, was " + kind(kind);
            case TRUNCATE_TIMESTAMP -> kind == FieldKind.TIMESTAMP_MILLIS || kind == FieldKind.TIMESTAMP_MICROS ? null
                    : "cannot be truncated: must be a timestamp-millis or timestamp-micros, was " + kind(kind);
            case DROP -> null;
        };
        if (problem == null && key.contains(name) && rule.method() == ProtectionConfig.Method.DROP) {
            problem = "is (part of) the key; a key field cannot be dropped (hash it instead)";
        } else if (problem == null && key.contains(name) && rule.method() == ProtectionConfig.Method.MASK) {
            problem = "is (part of) the key; masking would merge distinct keys (hash it instead)";
        } else if (problem == null && name.equals(eventTimeField) && rule.hidesValue()) {
            problem = "is the event-time field; it can only be truncated (method: truncate-timestamp)";
        }
        for (AggregationConfig a : aggregations) {
            if (problem == null && rule.method() == ProtectionConfig.Method.DROP && a.groupBy().contains(name)) {
                problem = "is a group-by field of aggregation " + a.name() + "; a dropped field cannot be grouped by";
            }
            for (AggregationConfig.MeasureConfig m : a.measures()) {
                if (problem == null && name.equals(m.field()) && rule.hidesValue()) {
                    problem = "is the field of measure " + m.name() + " of aggregation " + a.name()
                            + "; measures need the clear value";
                }
            }
        }
        if (problem != null) {
            fields.problem(name, "field \"" + name + "\" " + problem);
        }
        return problem == null;
    }

    private static String kind(FieldKind kind) {
        return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
