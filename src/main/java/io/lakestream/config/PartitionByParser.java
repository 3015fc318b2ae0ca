package io.lakestream.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Reads {@code landing.partition-by}: time columns ({@code dt}, {@code hour}, from event time in UTC) and record
 * fields ({@code {field: currency}}: a top-level string, enum, int, long or date field; the partition column takes
 * the field's name). Field values should have bounded cardinality: every distinct value is a folder and a catalog
 * partition per landing window.
 */
final class PartitionByParser {

    static final List<String> TIME_COLUMNS = List.of("dt", "hour");
    private static final String ALLOWED = "dt, hour or {field: <a top-level string, enum, int, long or date field>}";

    private PartitionByParser() {
    }

    static List<String> partitionBy(YamlSection landing, Schema schema) {
        JsonNode v = landing.value("partition-by");
        if (v == null) {
            return TIME_COLUMNS;
        }
        if (!v.isArray()) {
            landing.problem("partition-by", "must be a list of " + ALLOWED + ", was "
                    + (v.isValueNode() ? YamlSection.quote(v.asText()) : "a mapping"));
            return TIME_COLUMNS;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            String at = "partition-by[" + i + "]";
            JsonNode item = v.get(i);
            String column = null;
            if (item.isTextual() && TIME_COLUMNS.contains(item.asText())) {
                column = item.asText();
            } else if (item.isObject() && item.size() == 1 && item.has("field") && item.get("field").isTextual()) {
                column = field(landing, at, item.get("field").asText(), schema);
            } else {
                landing.problem(at, "must be " + ALLOWED + ", was " + (item.isValueNode()
                        ? YamlSection.quote(item.asText()) : item.toString()));
            }
            if (column != null && out.contains(column)) {
                landing.problem(at, "\"" + column + "\" is already a partition column");
            } else if (column != null) {
                out.add(column);
            }
        }
        return List.copyOf(out);
    }

    private static String field(YamlSection landing, String at, String name, Schema schema) {
        if (TIME_COLUMNS.contains(name)) {
            landing.problem(at, "field \"" + name + "\" would clash with the time partition column of that name");
            return null;
        }
        if (schema == null) {
            return name;
        }
        Schema.Field f = schema.getField(name);
        if (f == null) {
            landing.problem(at, new SchemaFields(schema).missing(name));
            return null;
        }
        FieldKind kind = FieldKind.of(f.schema());
        if (kind != FieldKind.STRING && kind != FieldKind.ENUM && kind != FieldKind.INTEGER
                && kind != FieldKind.DATE) {
            landing.problem(at, "field \"" + name + "\" cannot be a partition column: must be a string, enum, int, "
                    + "long or date, was " + (kind == FieldKind.OTHER ? "a record, array, map, bytes or multi-type union"
                    : kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')));
            return null;
        }
        return name;
    }

    /** Whether the partition columns include a record field (objects are then grouped by record values). */
    static boolean hasFields(List<String> partitionBy) {
        return partitionBy.stream().anyMatch(c -> !TIME_COLUMNS.contains(c));
    }
}
