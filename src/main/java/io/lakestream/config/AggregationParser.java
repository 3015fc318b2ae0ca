package io.lakestream.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads and checks a pipeline's {@code aggregations} list against its schema. */
final class AggregationParser {

    private static final Duration DEFAULT_SIZE = Duration.ofSeconds(100);
    private static final List<String> FNS = List.of("count", "sum", "min", "max", "avg", "count_distinct");
    /** The HLL sketch sizes DataSketches supports (log2 of the number of buckets). */
    private static final int MIN_LG_K = 4;
    private static final int MAX_LG_K = 21;
    /** Columns every aggregates row carries besides the group-by fields and measures. */
    private static final Set<String> RESERVED = Set.of("window_start", "window_end");

    private final FileFormat lakeFormat;

    private final TableFormatParser tableFormats;

    AggregationParser(FileFormat lakeFormat, TableFormatParser tableFormats) {
        this.lakeFormat = lakeFormat;
        this.tableFormats = tableFormats;
    }

    List<AggregationConfig> aggregations(YamlSection pipeline, String pipelineName, SchemaFields fields) {
        List<AggregationConfig> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (YamlSection s : pipeline.list("aggregations")) {
            String name = s.required("name", PipelineParser.TABLE_RULE);
            if (name != null && !PipelineParser.TABLE.matcher(name).matches()) {
                s.problem("name", "must be " + PipelineParser.TABLE_RULE + ", was " + YamlSection.quote(name));
            } else if (name != null && !names.add(name)) {
                s.problem("name", "\"" + name + "\" is already used by another aggregation of this pipeline");
            }
            String n = name == null || !PipelineParser.TABLE.matcher(name).matches() ? "aggregation" : name;
            List<String> groupBy = s.strings("group-by", true);
            if (groupBy == null || groupBy.isEmpty()) {
                s.problem("group-by", "is required; an Avro field name or a list of them");
                groupBy = List.of();
            } else if (fields != null) {
                for (int i = 0; i < groupBy.size(); i++) {
                    fields.check(s, s.value("group-by").isArray() ? "group-by[" + i + "]" : "group-by", groupBy.get(i),
                            SchemaFields.Use.KEY);
                }
            }
            AggregationConfig.WindowConfig window = window(s.section("window"));
            List<AggregationConfig.MeasureConfig> measures = measures(s, groupBy, fields);
            String topic = s.string("topic", pipelineName + "." + n);
            String table = s.string("table", n);
            if (table != null && !PipelineParser.TABLE.matcher(table).matches()) {
                s.problem("table", "must be " + PipelineParser.TABLE_RULE + " (defaults to the aggregation name), was "
                        + YamlSection.quote(table));
            }
            FileFormat format = ConfigLoader.fileFormat(s, "format", lakeFormat);
            // The aggregates table's columns are known only when the topology is built: fields are not checked here.
            tableFormats.table(s, table, null, "window_start", format);
            s.finish();
            out.add(new AggregationConfig(name, List.copyOf(groupBy), window, measures, topic, table, format));
        }
        return List.copyOf(out);
    }

    private static AggregationConfig.WindowConfig window(YamlSection s) {
        Duration size = s.duration("size", DEFAULT_SIZE, false);
        Duration advance = s.duration("advance", size, false);
        if (advance.compareTo(size) > 0) {
            s.problem("advance", "must not be longer than size (" + format(size) + "), was " + format(advance));
            advance = size;
        }
        Duration grace = s.duration("grace", PipelineParser.DEFAULT_GRACE, true);
        Duration idle = s.duration("idle-timeout", PipelineParser.DEFAULT_IDLE, false);
        s.finish();
        return new AggregationConfig.WindowConfig(size, advance, grace, idle);
    }

    private static List<AggregationConfig.MeasureConfig> measures(YamlSection agg, List<String> groupBy,
                                                                   SchemaFields fields) {
        List<YamlSection> sections = agg.list("measures");
        if (sections.isEmpty() && !agg.has("measures")) {
            agg.problem("measures", "is required; a list of {name, fn, field or expr, where}");
        }
        List<AggregationConfig.MeasureConfig> out = new ArrayList<>();
        Set<String> names = new HashSet<>(groupBy);
        for (YamlSection s : sections) {
            String name = s.required("name", "an output column name of lower-case letters, digits and '_'");
            if (name != null && !PipelineParser.TABLE.matcher(name).matches()) {
                s.problem("name", "must be lower-case letters, digits and '_', starting with a letter, was "
                        + YamlSection.quote(name));
            } else if (name != null && (RESERVED.contains(name) || !names.add(name))) {
                s.problem("name", "\"" + name + "\" is already a column of this aggregation (group-by fields, "
                        + "window_start, window_end and measures must differ)");
            }
            String fn = s.choice("fn", null, FNS);
            if (fn == null && !s.has("fn")) {
                s.problem("fn", "is required; one of " + String.join(", ", FNS));
            }
            String field = s.string("field", null);
            String expr = s.string("expr", null);
            String where = s.string("where", null);
            if ("count".equals(fn) && (field != null || expr != null)) {
                s.problem(field != null ? "field" : "expr", "is not used by count; remove it (use where to count "
                        + "only some records)");
            } else if (field != null && expr != null) {
                s.problem("expr", "a measure has either field or expr, not both");
            } else if (fn != null && !"count".equals(fn) && field == null && expr == null) {
                s.problem("field", "is required for " + fn + "; the Avro field to aggregate (or expr: a SQL "
                        + "expression)");
            } else if (field != null && fields != null) {
                fields.check(s, "field", field, "sum".equals(fn) || "avg".equals(fn) ? SchemaFields.Use.SUM
                        : "count_distinct".equals(fn) ? SchemaFields.Use.COUNT_DISTINCT : SchemaFields.Use.MIN_MAX);
            }
            int lgK = AggregationConfig.MeasureConfig.DEFAULT_LG_K;
            if ("count_distinct".equals(fn)) {
                lgK = s.integer("lg-k", lgK, MIN_LG_K, MAX_LG_K);
            } else if (s.has("lg-k")) {
                s.problem("lg-k", "is the sketch size of count_distinct only; remove it");
            }
            s.finish();
            out.add(new AggregationConfig.MeasureConfig(name,
                    fn == null ? null : AggregationConfig.MeasureFn.valueOf(fn.toUpperCase(Locale.ROOT)), field, expr,
                    where, lgK));
        }
        return List.copyOf(out);
    }

    static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
