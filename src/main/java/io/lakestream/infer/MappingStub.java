package io.lakestream.infer;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Text renderings of an {@link InferredSchema}: the pipeline YAML stub and the human summary. */
final class MappingStub {

    /** Scalars YAML reads as something other than a string when left unquoted. */
    private static final Set<String> YAML_SPECIAL = Set.of("null", "~", "true", "false", "yes", "no", "on", "off",
            "y", "n");
    private static final Pattern PLAIN_YAML = Pattern.compile("[A-Za-z0-9_$][A-Za-z0-9_$.\\-]*");

    private MappingStub() {
    }

    static String render(InferredSchema inferred, int indent) {
        String pad = " ".repeat(indent);
        StringBuilder yaml = new StringBuilder();
        line(yaml, pad, "# Proposed by lakestream infer-schema from " + inferred.readableCount() + " of "
                + inferred.sampleCount() + " sample(s); review the types in the .avsc before use.");
        Optional<InferredField> key = inferred.suggestedKey();
        line(yaml, pad, key.map(field -> "# key: " + field.name())
                .orElse("# key: (no field named like *id* has a value in every sample)"));
        Optional<InferredField> eventTime = inferred.suggestedEventTime();
        line(yaml, pad, eventTime.map(field -> "# event-time: { field: " + field.name() + ", format: "
                        + field.timeFormat() + " }")
                .orElse("# event-time: (no timestamp field found; Kafka record time would be used)"));
        line(yaml, pad, "fields:");
        for (InferredField field : inferred.fields()) {
            line(yaml, pad, "  " + scalar(field.name()) + ": " + scalar(field.sourcePath()) + "  # "
                    + field.typeName());
        }
        return yaml.toString();
    }

    static String summary(InferredSchema inferred) {
        StringBuilder text = new StringBuilder();
        text.append("Schema ").append(inferred.schema().getFullName()).append(" from ")
                .append(inferred.readableCount()).append(" of ").append(inferred.sampleCount())
                .append(" sample(s)").append("\n");
        for (InferredField field : inferred.fields()) {
            text.append(String.format(Locale.ROOT, "  %-24s %-32s %s (%d present, %d null)\n", field.name(),
                    field.typeName(), field.sourcePath(), field.presentCount(), field.nullCount()));
            field.notes().forEach(note -> text.append("      note: ").append(note).append("\n"));
        }
        if (!inferred.rejectedSamples().isEmpty()) {
            text.append("Unreadable samples: ").append(inferred.rejectedSamples().size())
                    .append("\n");
            inferred.rejectedSamples().forEach(rejected -> text.append("  sample ").append(rejected.index())
                    .append(": ").append(rejected.reason()).append("\n"));
        }
        return text.toString();
    }

    private static void line(StringBuilder out, String pad, String content) {
        out.append(pad).append(content).append('\n');
    }

    /** A YAML scalar that reads back as exactly this string (double-quoted with escapes when not plain). */
    static String scalar(String value) {
        if (PLAIN_YAML.matcher(value).matches() && !YAML_SPECIAL.contains(value.toLowerCase(Locale.ROOT))
                && !looksNumeric(value)) {
            return value;
        }
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                quoted.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }

    private static boolean looksNumeric(String value) {
        return value.matches("[-+]?[0-9._]+([eE][-+]?[0-9]+)?") || value.startsWith("-");
    }
}
