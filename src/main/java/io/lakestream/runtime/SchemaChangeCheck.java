package io.lakestream.runtime;

import io.lakestream.catalog.AvroColumns;
import io.lakestream.catalog.TableDefinition;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.PipelineConfig;
import io.lakestream.port.Ports;
import io.lakestream.registry.Compatibility;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * At start, compares each pipeline's configured schema with what already exists: the latest registered version(s) of
 * its output topic's schema under {@code registry.compatibility}, and the column types of its records table in the
 * catalog. An incompatible schema is refused here, with the field, the old and new type and the mode, instead of
 * surfacing as a deserialization crash loop or as files of two types in one table that Athena cannot read.
 *
 * <p>A change the registry accepts but the table cannot take (int → long is BACKWARD compatible in Avro, but the
 * table's files hold int columns) is refused the same way: lakestream changes a table only by adding columns.
 */
final class SchemaChangeCheck {

    private SchemaChangeCheck() {
    }

    /** @throws IllegalStateException listing every refused change and the ways forward */
    static void verify(LakestreamConfig config, Map<String, Schema> schemas, Ports ports) {
        Compatibility mode = Compatibility.of(config.registry() == null ? null : config.registry().compatibility());
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < config.pipelines().size(); i++) {
            PipelineConfig p = config.pipelines().get(i);
            Schema schema = schemas.get(p.name());
            String at = "pipelines[" + i + "].schema (" + p.schemaFile().getFileName() + "): ";
            mode.violation(p.outputTopic(), ports.registry().versions(p.outputTopic()), schema)
                    .ifPresent(v -> problems.add(at + v + " (registry.compatibility: " + mode + ")"));
            TableDefinition table = ports.catalog().table(config.catalog().database(), p.landing().table());
            if (table != null) {
                problems.addAll(columnChanges(at, table, schema));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the configured schema is an incompatible change: "
                    + String.join("; ", problems) + ". Ways forward: keep the registered schema (or change it"
                    + " compatibly, e.g. add a field with a default), or land the new schema in a new output topic and"
                    + " table (pipelines[].output-topic, pipelines[].landing.table)");
        }
    }

    private static List<String> columnChanges(String at, TableDefinition table, Schema schema) {
        Map<String, String> existing = new HashMap<>();
        table.columns().forEach(c -> existing.put(c.name().toLowerCase(Locale.ROOT), normalize(c.type())));
        List<String> problems = new ArrayList<>();
        for (TableDefinition.Column c : AvroColumns.columns(schema)) {
            String old = existing.get(c.name().toLowerCase(Locale.ROOT));
            if (old != null && !old.equals(normalize(c.type()))) {
                problems.add(at + "column " + c.name() + " of table " + table.name() + " is " + old
                        + " in the catalog and would become " + normalize(c.type())
                        + ": the files already in the table hold " + old + " (lakestream changes a table only by"
                        + " adding columns)");
            }
        }
        return problems;
    }

    private static String normalize(String hiveType) {
        return hiveType.replace(" ", "").toLowerCase(Locale.ROOT);
    }
}
