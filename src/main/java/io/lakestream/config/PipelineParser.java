package io.lakestream.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/** Reads and checks the {@code pipelines} list, including each pipeline's schema file. */
final class PipelineParser {

    static final Pattern TABLE = Pattern.compile("[a-z][a-z0-9_]{0,254}");
    static final String TABLE_RULE = "a table name of lower-case letters, digits and '_', starting with a letter";
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final String TOPIC_RULE = "a Kafka topic name (letters, digits, '.', '_', '-', at most 249)";
    private static final List<String> TIME_FORMATS = List.of("iso-8601", "epoch-millis", "epoch-seconds",
            "epoch-micros", "pattern");
    private static final Duration DEFAULT_WINDOW = Duration.ofSeconds(100);
    static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);
    static final Duration DEFAULT_IDLE = Duration.ofSeconds(60);

    private final Path baseDir;
    private final FileFormat lakeFormat;
    private final List<String> problems;
    private final Map<String, String> pipelineByName = new HashMap<>();
    private final Map<String, String> pipelineBySourceTopic = new HashMap<>();

    private final TableFormatParser tableFormats;

    PipelineParser(Path baseDir, FileFormat lakeFormat, List<String> problems, TableFormatParser tableFormats) {
        this.baseDir = baseDir;
        this.lakeFormat = lakeFormat;
        this.problems = problems;
        this.tableFormats = tableFormats;
    }

    List<PipelineConfig> pipelines(YamlSection root) {
        List<YamlSection> sections = root.list("pipelines");
        if (sections.isEmpty() && !problems.stream().anyMatch(p -> p.startsWith("pipelines"))) {
            root.problem("pipelines", "is required; a list of at least one pipeline");
        }
        List<PipelineConfig> out = new ArrayList<>();
        for (YamlSection s : sections) {
            out.add(pipeline(s));
        }
        return out;
    }

    private PipelineConfig pipeline(YamlSection s) {
        String name = s.required("name", "a pipeline name of " + ConfigLoader.NAME_RULE);
        if (name != null && !ConfigLoader.NAME.matcher(name).matches()) {
            s.problem("name", "must be " + ConfigLoader.NAME_RULE + ", was " + YamlSection.quote(name));
        } else if (name != null && pipelineByName.putIfAbsent(name, s.path()) != null) {
            s.problem("name", "\"" + name + "\" is already the name of " + pipelineByName.get(name)
                    + "; pipeline names must be unique");
        }
        String n = name == null || !ConfigLoader.NAME.matcher(name).matches() ? "pipeline" : name;
        PipelineConfig.SourceConfig source = source(s.section("source"));
        Path schemaFile = null;
        Schema schema = null;
        String schemaText = s.required("schema", "an Avro schema file (.avsc), relative to the config file's folder");
        if (schemaText != null) {
            schemaFile = baseDir.resolve(schemaText).normalize();
            schema = readSchema(s, schemaFile);
        }
        SchemaFields fields = schema == null ? null : new SchemaFields(schema);
        List<String> key = s.strings("key", true);
        if (key == null || key.isEmpty()) {
            if (!s.has("key") || key != null) {
                s.problem("key", "is required; an Avro field name or a list of them");
            }
            key = List.of();
        } else if (fields != null) {
            for (int i = 0; i < key.size(); i++) {
                fields.check(s, s.value("key").isArray() ? "key[" + i + "]" : "key", key.get(i), SchemaFields.Use.KEY);
            }
        }
        PipelineConfig.EventTimeConfig eventTime = eventTime(s.section("event-time"), fields);
        Map<String, String> mapping = mapping(s, source, fields);
        String output = s.matching("output-topic", n + ".normalized", TOPIC, TOPIC_RULE);
        String dlq = s.matching("dlq-topic", n + ".dlq", TOPIC, TOPIC_RULE);
        if (output != null && output.equals(dlq)) {
            s.problem("dlq-topic", "must differ from output-topic, was " + YamlSection.quote(dlq));
        }
        if (source.topics().contains(output) || source.topics().contains(dlq)) {
            s.problem(source.topics().contains(output) ? "output-topic" : "dlq-topic",
                    "must not be one of source.topics (the stage would read its own output)");
        }
        LandingConfig landing = landing(s.section("landing"), n, schema, eventTime.field());
        List<AggregationConfig> aggregations = new AggregationParser(lakeFormat, tableFormats)
                .aggregations(s, n, fields);
        PipelineConfig.Limits limits = limits(s.section("limits"));
        ProtectionConfig protection = new ProtectionParser(schema).protection(s, key, eventTime.field(), aggregations);
        List<String> ownTopics = new ArrayList<>(source.topics());
        ownTopics.add(output);
        ownTopics.add(dlq);
        AlertConfig alerts = new AlertParser(schema).alerts(s, n, ownTopics, TOPIC, TOPIC_RULE);
        ExpressionParser.Result expressions = new ExpressionParser(schema, protection).parse(s, aggregations, alerts);
        for (int i = 0; i < landing.partitionBy().size(); i++) {
            ProtectionConfig.FieldRule rule = protection.fields().get(landing.partitionBy().get(i));
            if (rule != null && rule.method() == ProtectionConfig.Method.DROP) {
                s.section("landing").problem("partition-by[" + i + "]", "field \"" + landing.partitionBy().get(i)
                        + "\" is dropped by protect.fields; a dropped field cannot be a partition column");
            }
        }
        truncatedEventTime(s, eventTime.field(), protection, aggregations);
        if (landing.routeBy() != null && protection.fields().containsKey(landing.routeBy().field())
                && protection.fields().get(landing.routeBy().field()).hidesValue()) {
            s.section("landing").section("route-by").problem("field", "field \"" + landing.routeBy().field()
                    + "\" is protected (hash, mask or drop); routing needs its clear value in the config and the"
                    + " record");
        }
        s.finish();
        return new PipelineConfig(name, source, schemaFile, List.copyOf(key), eventTime, Map.copyOf(mapping), output,
                dlq, landing, aggregations, limits, protection, alerts, expressions.derive(), expressions.filter());
    }

    /**
     * An aggregation window over a truncated event time must be a whole number of truncation units: every record of an
     * hour has the event time of the hour's start, so a 100 s window would count the whole hour under bounds 100 s
     * apart. (Any window is safe, as it sees the truncated time only; a shorter one is wrong.)
     */
    private static void truncatedEventTime(YamlSection s, String field, ProtectionConfig protection,
                                           List<AggregationConfig> aggregations) {
        ProtectionConfig.FieldRule rule = field == null ? null : protection.fields().get(field);
        if (rule == null || rule.method() != ProtectionConfig.Method.TRUNCATE_TIMESTAMP) {
            return;
        }
        List<YamlSection> sections = s.list("aggregations");
        if (sections.size() != aggregations.size()) {
            return; // an aggregation is reported already
        }
        String unit = rule.truncateTo() == java.time.temporal.ChronoUnit.HOURS ? "hour" : "day";
        long step = rule.truncateTo().getDuration().toMillis();
        for (int i = 0; i < aggregations.size(); i++) {
            AggregationConfig.WindowConfig w = aggregations.get(i).window();
            YamlSection window = sections.get(i).section("window");
            for (Map.Entry<String, Duration> e : List.of(Map.entry("size", w.size()),
                    Map.entry("advance", w.advance()))) {
                // An advance left out is the size: reported once, at size.
                boolean stated = e.getKey().equals("size") || !w.advance().equals(w.size());
                if (stated && e.getValue().toMillis() % step != 0) {
                    window.problem(e.getKey(), "must be a whole number of " + unit + "s, as the event-time field "
                            + field + " is truncated to the " + unit + " (protect.fields." + field + "): every record"
                            + (unit.equals("hour") ? " of an hour" : " of a day") + " has the " + unit
                            + "'s start as event time; was " + AggregationParser.format(e.getValue()));
                }
            }
        }
    }

    private PipelineConfig.SourceConfig source(YamlSection s) {
        if (!s.isPresent()) {
            problems.add(s.path() + ": is required; the raw topics and their format (topics, format)");
        }
        List<String> topics = s.strings("topics", true);
        if (s.isPresent() && (topics == null || topics.isEmpty())) {
            s.problem("topics", "is required; a list of Kafka topic names");
            topics = List.of();
        }
        topics = topics == null ? List.of() : topics;
        for (int i = 0; i < topics.size(); i++) {
            String t = topics.get(i);
            String at = "topics[" + i + "]";
            if (!TOPIC.matcher(t).matches()) {
                s.problem(at, "must be " + TOPIC_RULE + ", was " + YamlSection.quote(t));
            } else if (pipelineBySourceTopic.putIfAbsent(t, s.path()) != null) {
                s.problem(at, "topic \"" + t + "\" is already read by " + pipelineBySourceTopic.get(t)
                        + "; a raw topic feeds one pipeline");
            }
        }
        String format = s.choice("format", "json", List.of("json", "csv"));
        YamlSection csv = s.section("csv");
        PipelineConfig.CsvOptions options = null;
        if ("csv".equals(format)) {
            boolean header = csv.bool("header", true);
            char delimiter = csv.character("delimiter", ',');
            char quote = csv.character("quote", '"');
            if (delimiter == quote) {
                csv.problem("quote", "must differ from delimiter, was " + YamlSection.quote(String.valueOf(quote)));
            }
            List<String> columns = csv.strings("columns", false);
            if (!header && (columns == null || columns.isEmpty())) {
                csv.problem("columns", "is required when header is false; the column names in order");
            }
            csv.finish();
            options = new PipelineConfig.CsvOptions(header, delimiter, quote, columns == null ? List.of()
                    : List.copyOf(columns));
        } else if (format != null && csv.isPresent()) {
            s.problem("csv", "is only allowed when format is csv");
        }
        s.finish();
        return new PipelineConfig.SourceConfig(List.copyOf(topics),
                "csv".equals(format) ? PipelineConfig.InputFormat.CSV : PipelineConfig.InputFormat.JSON, options);
    }

    private Schema readSchema(YamlSection s, Path file) {
        try {
            Schema schema = new Schema.Parser().parse(Files.readString(file));
            if (schema.getType() != Schema.Type.RECORD) {
                s.problem("schema", "must be an Avro record schema, was " + schema.getType().getName() + " in " + file);
                return null;
            }
            return schema;
        } catch (java.nio.file.NoSuchFileException e) {
            s.problem("schema", "file not found: " + file + " (relative paths start at the config file's folder)");
        } catch (IOException e) {
            s.problem("schema", "cannot read " + file + ": " + e.getMessage());
        } catch (SchemaParseException e) {
            s.problem("schema", "not a valid Avro schema: " + e.getMessage() + " in " + file);
        }
        return null;
    }

    private PipelineConfig.EventTimeConfig eventTime(YamlSection s, SchemaFields fields) {
        String field = s.required("field", "the Avro field holding event time (timestamp-millis or -micros)");
        if (field != null && fields != null) {
            fields.check(s, "field", field, SchemaFields.Use.EVENT_TIME);
        }
        String format = s.choice("format", "iso-8601", TIME_FORMATS);
        String pattern = s.string("pattern", null);
        if ("pattern".equals(format) && pattern == null) {
            s.problem("pattern", "is required when format is pattern; a java.time pattern like yyyy-MM-dd HH:mm:ss");
        } else if (pattern != null && format != null && !"pattern".equals(format)) {
            s.problem("pattern", "is only used when format is pattern; remove it or set format: pattern");
        } else if (pattern != null) {
            try {
                DateTimeFormatter.ofPattern(pattern);
            } catch (IllegalArgumentException e) {
                s.problem("pattern", "must be a java.time DateTimeFormatter pattern like yyyy-MM-dd HH:mm:ss, was "
                        + YamlSection.quote(pattern) + " (" + e.getMessage() + ")");
            }
        }
        String zone = s.string("zone", null);
        try {
            if (zone != null) {
                ZoneId.of(zone);
            }
        } catch (java.time.DateTimeException e) {
            s.problem("zone", "must be a time zone like UTC, +02:00 or Europe/Paris, was " + YamlSection.quote(zone));
            zone = null;
        }
        java.time.Duration maxFuture = s.duration("max-future", PipelineConfig.EventTimeConfig.DEFAULT_MAX_FUTURE,
                false);
        java.time.Duration maxPast = s.duration("max-past", null, false);
        s.finish();
        return new PipelineConfig.EventTimeConfig(field, format, pattern, zone, maxFuture, maxPast);
    }

    private Map<String, String> mapping(YamlSection s, PipelineConfig.SourceConfig source, SchemaFields fields) {
        Map<String, String> mapping = new LinkedHashMap<>(s.scalars("fields"));
        YamlSection at = s.section("fields");
        boolean csv = source.format() == PipelineConfig.InputFormat.CSV;
        List<String> columns = csv ? source.csv().columns() : List.of();
        for (Map.Entry<String, String> e : mapping.entrySet()) {
            at.value(e.getKey());
            if (fields != null && !fields.has(e.getKey())) {
                at.problem(e.getKey(), fields.missing(e.getKey()));
                continue;
            }
            SourcePath path;
            try {
                path = SourcePath.parse(e.getValue());
            } catch (IllegalArgumentException ex) {
                at.problem(e.getKey(), "must be a source path like $.a.b, $.items[0].x or a plain name, was "
                        + YamlSection.quote(e.getValue()));
                continue;
            }
            if (csv && !path.isPlainName()) {
                at.problem(e.getKey(), "must be a CSV column name for a csv source, was " + YamlSection.quote(e.getValue()));
            } else if (csv && !columns.isEmpty() && !columns.contains(path.head())) {
                at.problem(e.getKey(), "column \"" + path.head() + "\" is not in source.csv.columns (" + String.join(", ",
                        columns) + ")");
            }
        }
        if (fields != null && csv && !columns.isEmpty()) {
            for (String required : fields.requiredFields()) {
                if (!mapping.containsKey(required) && !columns.contains(required)) {
                    s.problem("fields", "schema field \"" + required + "\" has no column; map it here (" + required
                            + ": <column>) or add a column named " + required);
                }
            }
        }
        return mapping;
    }

    private LandingConfig landing(YamlSection s, String pipeline, Schema schema, String eventTimeField) {
        String table = s.string("table", pipeline);
        if (table != null && !TABLE.matcher(table).matches()) {
            s.problem("table", "must be " + TABLE_RULE + " (defaults to the pipeline name), was "
                    + YamlSection.quote(table));
        }
        Duration window = s.duration("window", DEFAULT_WINDOW, false);
        Duration grace = s.duration("grace", DEFAULT_GRACE, true);
        Duration idle = s.duration("idle-timeout", DEFAULT_IDLE, false);
        List<String> partitionBy = PartitionByParser.partitionBy(s, schema);
        String[] defaultTable = {table};
        LandingConfig.RouteBy routeBy = RouteByParser.routeBy(s, schema, TABLE, TABLE_RULE, defaultTable);
        FileFormat format = ConfigLoader.fileFormat(s, "format", lakeFormat);
        int maxPartitionValues = s.integer("max-partition-values", LandingConfig.DEFAULT_MAX_PARTITION_VALUES, 1,
                100_000);
        tableFormats.table(s, table, schema, eventTimeField, format);
        s.finish();
        return new LandingConfig(defaultTable[0], window, grace, idle, List.copyOf(partitionBy), format, routeBy,
                maxPartitionValues);
    }

    private PipelineConfig.Limits limits(YamlSection s) {
        int maxRecordBytes = (int) s.bytes("max-record-bytes", 1L << 20, 1, Integer.MAX_VALUE);
        int maxJsonDepth = s.integer("max-json-depth", 32, 1, 1000);
        double maxDeadLetterRatio = s.fraction("max-dead-letter-ratio",
                PipelineConfig.Limits.DEFAULT_MAX_DEAD_LETTER_RATIO);
        s.finish();
        return new PipelineConfig.Limits(maxRecordBytes, maxJsonDepth, maxDeadLetterRatio);
    }
}
