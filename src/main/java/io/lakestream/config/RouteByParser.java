package io.lakestream.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.avro.Schema;

/**
 * Reads {@code landing.route-by}: {@code {field: f, tables: {value: table, ...}, default: table}}. The default
 * (a value not listed, or null) is {@code landing.table} unless given here, so no record is left without a table.
 */
final class RouteByParser {

    private RouteByParser() {
    }

    /** @return the routing, or null when absent; {@code defaultTable} receives {@code default} when given */
    static LandingConfig.RouteBy routeBy(YamlSection landing, Schema schema, Pattern table, String tableRule,
                                         String[] defaultTable) {
        YamlSection s = landing.section("route-by");
        if (!s.isPresent()) {
            return null;
        }
        String field = s.required("field", "a top-level string, enum, int or long field whose value picks the table");
        Map<String, String> tables = new LinkedHashMap<>(s.scalars("tables"));
        if (tables.isEmpty()) {
            s.problem("tables", "is required; a mapping of field value: table");
        }
        YamlSection at = s.section("tables");
        Schema.Field f = field == null || schema == null ? null : schema.getField(field);
        if (field != null && schema != null && f == null) {
            s.problem("field", new SchemaFields(schema).missing(field));
        }
        FieldKind kind = f == null ? null : FieldKind.of(f.schema());
        if (kind != null && kind != FieldKind.STRING && kind != FieldKind.ENUM && kind != FieldKind.INTEGER) {
            s.problem("field", "field \"" + field + "\" cannot route: must be a string, enum, int or long");
            kind = null;
        }
        for (Map.Entry<String, String> e : tables.entrySet()) {
            at.value(e.getKey());
            if (!table.matcher(e.getValue()).matches()) {
                at.problem(e.getKey(), "must be " + tableRule + ", was " + YamlSection.quote(e.getValue()));
            } else if (kind == FieldKind.ENUM && !FieldKind.nonNull(f.schema()).hasEnumSymbol(e.getKey())) {
                at.problem(e.getKey(), "\"" + e.getKey() + "\" is not a symbol of enum "
                        + FieldKind.nonNull(f.schema()).getName() + " (field \"" + field + "\"); allowed: "
                        + String.join(", ", FieldKind.nonNull(f.schema()).getEnumSymbols()));
            } else if (kind == FieldKind.INTEGER && !e.getKey().matches("-?[0-9]+")) {
                at.problem(e.getKey(), "field \"" + field + "\" is a number; the value must be a whole number");
            }
        }
        String def = s.string("default", null);
        if (def != null && !table.matcher(def).matches()) {
            s.problem("default", "must be " + tableRule + ", was " + YamlSection.quote(def));
        } else if (def != null) {
            defaultTable[0] = def;
        }
        at.finish();
        s.finish();
        return field == null ? null : new LandingConfig.RouteBy(field, java.util.Collections.unmodifiableMap(tables));
    }
}
