package io.lakestream.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * The Glue Schema Registry's compatibility modes for Avro, checked here so that every registry type (local folder and
 * in-memory too) enforces them, and so that lakestream can refuse an incompatible schema at start rather than in a
 * crash loop. As Glue defines them: BACKWARD — the new version can read data written with the latest version;
 * FORWARD — the latest version can read data written with the new one; FULL — both; the {@code _ALL} forms hold
 * against every earlier version, not only the latest; NONE — no check; DISABLED — no new version at all.
 */
public enum Compatibility {
    NONE, DISABLED, BACKWARD, BACKWARD_ALL, FORWARD, FORWARD_ALL, FULL, FULL_ALL;

    /** @param configured {@code registry.compatibility}, null for the default BACKWARD */
    public static Compatibility of(String configured) {
        return configured == null ? BACKWARD : valueOf(configured.toUpperCase(Locale.ROOT));
    }

    private boolean backward() {
        return this == BACKWARD || this == BACKWARD_ALL || this == FULL || this == FULL_ALL;
    }

    private boolean forward() {
        return this == FORWARD || this == FORWARD_ALL || this == FULL || this == FULL_ALL;
    }

    private boolean all() {
        return this == BACKWARD_ALL || this == FORWARD_ALL || this == FULL_ALL;
    }

    /**
     * Why {@code candidate} may not become the next version of {@code schemaName}, naming the field, its old and new
     * type and this mode; empty when it may (an already registered version always may).
     *
     * @param previous the registered versions, oldest first
     */
    public Optional<String> violation(String schemaName, List<Schema> previous, Schema candidate) {
        if (this == NONE || previous.isEmpty() || previous.contains(candidate)) {
            return Optional.empty();
        }
        if (this == DISABLED) {
            return Optional.of("schema " + schemaName + ": compatibility DISABLED allows no new version, and the"
                    + " configured schema differs from the " + previous.size() + " registered");
        }
        List<Schema> against = all() ? previous : List.of(previous.get(previous.size() - 1));
        List<String> problems = new ArrayList<>();
        for (Schema old : against) {
            String version = "version " + (previous.indexOf(old) + 1) + " of " + previous.size();
            if (backward()) {
                describe(candidate, old, old, candidate, "the new schema cannot read data written with " + version)
                        .ifPresent(problems::add);
            }
            if (forward()) {
                describe(old, candidate, old, candidate, version + " cannot read data written with the new schema")
                        .ifPresent(problems::add);
            }
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of("schema " + schemaName + " is not " + this
                + " compatible with its registered versions: " + String.join("; ", problems.stream().distinct()
                .toList()));
    }

    private static Optional<String> describe(Schema reader, Schema writer, Schema old, Schema candidate, String why) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            return Optional.empty();
        }
        Incompatibility first = result.getResult().getIncompatibilities().get(0);
        String field = fieldAt(reader, first.getLocation());
        String change = field.isEmpty() ? "the record changed"
                : "field " + field + " changed from " + typeOf(old, field) + " to " + typeOf(candidate, field);
        return Optional.of(change + " (" + why + ": " + first.getType() + ", " + first.getMessage() + ")");
    }

    /** The dotted field path a JSON pointer such as {@code /fields/2/type/1/fields/0} names in {@code schema}. */
    static String fieldAt(Schema schema, String location) {
        List<String> names = new ArrayList<>();
        Schema current = schema;
        String[] tokens = location.split("/");
        for (int i = 1; i < tokens.length && current != null; i++) {
            String t = tokens[i];
            if (t.equals("fields") && i + 1 < tokens.length && current.getType() == Schema.Type.RECORD) {
                Schema.Field f = current.getFields().get(Integer.parseInt(tokens[++i]));
                names.add(f.name());
                current = f.schema();
            } else if (t.matches("\\d+") && current.getType() == Schema.Type.UNION) {
                current = current.getTypes().get(Integer.parseInt(t));
            } else if (t.equals("items") && current.getType() == Schema.Type.ARRAY) {
                current = current.getElementType();
            } else if (t.equals("values") && current.getType() == Schema.Type.MAP) {
                current = current.getValueType();
            }
        }
        return String.join(".", names);
    }

    /** The type of the field at a dotted path, as a reader would call it: {@code decimal(12,2)}, {@code double}. */
    static String typeOf(Schema record, String path) {
        Schema current = record;
        for (String name : path.split("\\.")) {
            current = nonNull(current);
            Schema.Field f = current.getType() == Schema.Type.RECORD ? current.getField(name) : null;
            if (f == null) {
                return "(absent)";
            }
            current = f.schema();
        }
        return typeName(current);
    }

    private static Schema nonNull(Schema s) {
        if (s.getType() == Schema.Type.UNION) {
            List<Schema> types = s.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).toList();
            return types.size() == 1 ? types.get(0) : s;
        }
        return s;
    }

    static String typeName(Schema s) {
        if (s.getType() == Schema.Type.UNION) {
            Schema inner = nonNull(s);
            return inner == s ? s.getTypes().stream().map(Compatibility::typeName).toList().toString()
                    : "nullable " + typeName(inner);
        }
        if (s.getLogicalType() instanceof LogicalTypes.Decimal d) {
            return "decimal(" + d.getPrecision() + "," + d.getScale() + ")";
        }
        if (s.getLogicalType() != null) {
            return s.getLogicalType().getName();
        }
        return switch (s.getType()) {
            case RECORD, ENUM, FIXED -> s.getType().getName() + " " + s.getName();
            case ARRAY -> "array<" + typeName(s.getElementType()) + ">";
            case MAP -> "map<" + typeName(s.getValueType()) + ">";
            default -> s.getType().getName();
        };
    }
}
