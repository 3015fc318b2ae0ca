package io.lakestream.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * Reads the table-format settings: {@code lake.table-format}, {@code catalog.commit-interval}, and per table
 * ({@code pipelines[i].landing} and {@code pipelines[i].aggregations[j]}) {@code table-format} and
 * {@code partition-spec}. Called from the sections' parsers before they finish, so unknown keys are still reported.
 */
final class TableFormatParser {

    static final List<String> FORMATS = List.of(TableFormatConfig.HIVE, TableFormatConfig.ICEBERG);
    private static final Pattern TERM = Pattern.compile(
            "\\s*(hour|day|identity)\\(\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)\\s*"
                    + "|\\s*bucket\\(\\s*(\\d{1,6})\\s*,\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)\\s*");
    private static final String TERM_RULE = "hour(<field>), day(<field>), identity(<field>) or bucket(<n>, <field>)";

    private String defaultFormat = TableFormatConfig.HIVE;
    private Duration commitInterval = TableFormatConfig.DEFAULT_COMMIT_INTERVAL;
    private final Map<String, TableFormatConfig.IcebergTableConfig> tables = new LinkedHashMap<>();
    private MaintenanceConfig maintenance = MaintenanceConfig.DEFAULTS;

    /** {@code lake.table-format}. */
    void lake(YamlSection lake) {
        String f = lake.choice("table-format", TableFormatConfig.HIVE, FORMATS);
        defaultFormat = f == null ? TableFormatConfig.HIVE : f;
    }

    /** {@code catalog.commit-interval}. */
    void catalog(YamlSection catalog) {
        commitInterval = catalog.duration("commit-interval", TableFormatConfig.DEFAULT_COMMIT_INTERVAL, false);
        if (catalog.value("maintenance") != null) {
            maintenance = maintenance(catalog.section("maintenance"));
        }
    }

    /** {@code catalog.maintenance}. */
    private static MaintenanceConfig maintenance(YamlSection m) {
        MaintenanceConfig d = MaintenanceConfig.DEFAULTS;
        MaintenanceConfig read = new MaintenanceConfig(m.bool("enabled", d.enabled()),
                m.duration("interval", d.interval(), false),
                m.bytes("target-file-size", d.targetFileSize(), 1L << 20, 1L << 40),
                m.bytes("row-group-size", d.rowGroupSize(), 1L << 20, 1L << 30),
                m.bytes("max-bytes-per-pass", d.maxBytesPerPass(), 1L << 20, 1L << 44),
                m.duration("min-age", d.minAge(), true),
                m.integer("keep-snapshots", d.keepSnapshots(), 1, 100_000),
                m.duration("keep-history", d.keepHistory(), true),
                m.duration("orphan-age", d.orphanAge(), false));
        if (read.orphanAge().compareTo(java.time.Duration.ofHours(1)) < 0) {
            // A landed file waits for its commit up to an interval (longer while the catalog is unreachable): a
            // short age would delete files that are about to be committed.
            m.problem("orphan-age", "must be at least 1h (files landed but not yet committed look like orphans), was "
                    + YamlSection.quote(m.value("orphan-age").asText()));
        }
        m.finish();
        return read;
    }

    /**
     * A table's {@code table-format} and {@code partition-spec}.
     *
     * @param schema    the table's columns (before lineage), or null when unknown (then fields are not checked)
     * @param eventTime the column the default {@code hour()} partition is taken from
     * @param format    the table's file format (Iceberg tables must be Parquet)
     */
    void table(YamlSection s, String table, Schema schema, String eventTime, FileFormat format) {
        String f = s.choice("table-format", defaultFormat, FORMATS);
        boolean iceberg = TableFormatConfig.ICEBERG.equals(f);
        List<String> terms = s.strings("partition-spec", false);
        if (!iceberg) {
            if (terms != null) {
                s.problem("partition-spec", "is only used by Iceberg tables; set table-format: iceberg or remove it");
            }
            return;
        }
        if (format != null && format != FileFormat.PARQUET) {
            s.problem("format", "must be parquet for an Iceberg table, was " + format.name().toLowerCase());
        }
        boolean partitionBy = s.value("partition-by") != null && s.value("partition-by").isArray();
        boolean mapped = false;
        if (terms != null && partitionBy) {
            s.problem("partition-by", "is for Hive tables; an Iceberg table is partitioned by partition-spec alone ("
                    + terms + "): remove partition-by");
        } else if (partitionBy) {
            terms = fromPartitionBy(s.value("partition-by"), schema, eventTime);
            mapped = true;
        }
        if (terms == null) {
            terms = eventTime == null ? List.of() : List.of("hour(" + eventTime + ")");
        }
        List<TableFormatConfig.PartitionField> fields = new ArrayList<>();
        for (int i = 0; i < terms.size(); i++) {
            String at = mapped ? "partition-by (as Iceberg " + terms + ")"
                    : s.value("partition-spec") != null && s.value("partition-spec").isArray()
                    ? "partition-spec[" + i + "]" : "partition-spec";
            TableFormatConfig.PartitionField field = term(s, at, terms.get(i), schema);
            if (field != null) {
                fields.add(field);
            }
        }
        if (table != null) {
            tables.put(table, new TableFormatConfig.IcebergTableConfig(table, List.copyOf(fields), eventTime));
        }
    }

    /**
     * The Iceberg form of a Hive {@code partition-by}: {@code hour} (or {@code dt} alone) becomes hour() (day()) of
     * the event time, {@code {field: f}} becomes identity(f), or day(f) for a date field. Items the Hive parser
     * refuses are left to its messages.
     */
    private static List<String> fromPartitionBy(com.fasterxml.jackson.databind.JsonNode items, Schema schema,
                                                String eventTime) {
        List<String> terms = new ArrayList<>();
        boolean hour = false;
        boolean day = false;
        for (com.fasterxml.jackson.databind.JsonNode item : items) {
            if (item.isTextual()) {
                hour |= "hour".equals(item.asText());
                day |= "dt".equals(item.asText());
            } else if (item.isObject() && item.has("field") && item.get("field").isTextual()) {
                String f = item.get("field").asText();
                Schema.Field column = schema == null ? null : schema.getField(f);
                boolean date = column != null && nonNull(column.schema()).getLogicalType() instanceof LogicalTypes.Date;
                terms.add((date ? "day(" : "identity(") + f + ")");
            }
        }
        if ((hour || day) && eventTime != null) {
            terms.add(0, (hour ? "hour(" : "day(") + eventTime + ")");
        }
        return terms;
    }

    private static TableFormatConfig.PartitionField term(YamlSection s, String at, String text, Schema schema) {
        Matcher m = TERM.matcher(text);
        if (!m.matches()) {
            s.problem(at, "must be " + TERM_RULE + ", was " + YamlSection.quote(text));
            return null;
        }
        TableFormatConfig.PartitionField field = m.group(1) != null
                ? new TableFormatConfig.PartitionField(m.group(1), m.group(2), 0)
                : new TableFormatConfig.PartitionField("bucket", m.group(4), Integer.parseInt(m.group(3)));
        if ("bucket".equals(field.transform()) && field.buckets() < 1) {
            s.problem(at, "bucket count must be at least 1, was " + YamlSection.quote(text));
            return null;
        }
        if (schema == null) {
            return field;
        }
        Schema.Field column = schema.getField(field.source());
        if (column == null) {
            s.problem(at, "field \"" + field.source() + "\" is not in the table's schema");
            return null;
        }
        String problem = fits(field.transform(), nonNull(column.schema()));
        if (problem != null) {
            s.problem(at, field.transform() + "() " + problem + ", field \"" + field.source() + "\" is "
                    + nonNull(column.schema()));
            return null;
        }
        return field;
    }

    private static String fits(String transform, Schema type) {
        boolean timestamp = type.getLogicalType() instanceof LogicalTypes.TimestampMillis
                || type.getLogicalType() instanceof LogicalTypes.TimestampMicros;
        boolean date = type.getLogicalType() instanceof LogicalTypes.Date;
        return switch (transform) {
            case "hour" -> timestamp ? null : "needs a timestamp-millis or timestamp-micros field";
            case "day" -> timestamp || date ? null : "needs a timestamp or date field";
            // Dates and timestamps are partitioned by day() or hour(); identity of them is not offered.
            default -> (type.getLogicalType() == null && (type.getType() == Schema.Type.STRING
                    || type.getType() == Schema.Type.INT || type.getType() == Schema.Type.LONG
                    || type.getType() == Schema.Type.ENUM)) || type.getLogicalType() instanceof LogicalTypes.Decimal
                    ? null : "needs a string, int, long, enum or decimal field";
        };
    }

    static Schema nonNull(Schema s) {
        if (s.getType() != Schema.Type.UNION) {
            return s;
        }
        return s.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst().orElse(s);
    }

    /** The settings read, after every section has been parsed. */
    TableFormatConfig result() {
        return new TableFormatConfig(defaultFormat, commitInterval,
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tables)), maintenance);
    }

    /** Problems that span sections: an Iceberg table needs an Iceberg catalog. */
    void checkCatalog(YamlSection catalog, String catalogType) {
        if (!tables.isEmpty() && "none".equals(catalogType)) {
            catalog.problem("type", "must be glue or local when a table is an Iceberg table (tables "
                    + String.join(", ", tables.keySet()) + ")");
        }
    }
}
