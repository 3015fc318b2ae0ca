package io.lakestream.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One raw source normalized into one Avro schema, landed as one records table, with its aggregations.
 *
 * @param name         pipeline name; prefixes its topics and names its processors and stores
 * @param source       raw topics and how to parse them
 * @param schemaFile   the Avro schema ({@code .avsc}) of normalized records
 * @param key          Avro field(s) forming the record key (joined with '|' when several)
 * @param eventTime    field holding event time and how to read it
 * @param fields       Avro field name → source path (JSON path like {@code $.account.id}, or CSV column);
 *                     a schema field not listed is read from the source field of the same name
 * @param outputTopic  normalized records topic, default {@code <name>.normalized}
 * @param dlqTopic     dead-letter topic, default {@code <name>.dlq}
 * @param landing      records table layout
 * @param aggregations windowed aggregations over the normalized records
 * @param limits       input guards
 * @param protection   field protection applied right after normalization (hash, mask, drop, truncate)
 * @param alerts       alert rules, evaluated on the clear normalized record, copying the protected one
 */
public record PipelineConfig(String name, SourceConfig source, Path schemaFile, List<String> key,
                             EventTimeConfig eventTime, Map<String, String> fields, String outputTopic,
                             String dlqTopic, LandingConfig landing, List<AggregationConfig> aggregations,
                             Limits limits, ProtectionConfig protection, AlertConfig alerts) {

    /** A pipeline without protection or alert rules. */
    public PipelineConfig(String name, SourceConfig source, Path schemaFile, List<String> key,
                          EventTimeConfig eventTime, Map<String, String> fields, String outputTopic,
                          String dlqTopic, LandingConfig landing, List<AggregationConfig> aggregations,
                          Limits limits) {
        this(name, source, schemaFile, key, eventTime, fields, outputTopic, dlqTopic, landing, aggregations, limits,
                ProtectionConfig.NONE, AlertConfig.none(name));
    }

    /**
     * @param topics raw topics
     * @param format json or csv
     * @param csv    csv options (null for json)
     */
    public record SourceConfig(List<String> topics, InputFormat format, CsvOptions csv) {
    }

    public enum InputFormat { JSON, CSV }

    /**
     * @param header    each record value starts with a header line naming the columns, followed by one data
     *                  row; when false the columns are {@code columns}
     * @param delimiter field delimiter (default ',')
     * @param quote     quote character (default '"')
     * @param columns   column names in order
     */
    public record CsvOptions(boolean header, char delimiter, char quote, List<String> columns) {
    }

    /**
     * @param field   Avro field holding event time
     * @param format  iso-8601 (default), epoch-millis, epoch-seconds, epoch-micros, or pattern
     * @param pattern DateTimeFormatter pattern when format = pattern
     * @param zone    zone for patterns without an offset (default UTC)
     */
    public record EventTimeConfig(String field, String format, String pattern, String zone) {
    }

    /**
     * @param maxRecordBytes values larger than this go to the DLQ (default 1 MiB)
     * @param maxJsonDepth   JSON nested deeper than this goes to the DLQ (default 32)
     * @param maxDeadLetterRatio the data-quality gate: a run whose dead letters exceed this share of the records read
     *                       fails (default {@link #DEFAULT_MAX_DEAD_LETTER_RATIO}); 1 turns the gate off
     */
    public record Limits(int maxRecordBytes, int maxJsonDepth, double maxDeadLetterRatio) {

        /**
         * A wrong type in a schema dead-letters every record carrying the field (the ratio then nears 1), while
         * producers with ordinary noise send a few percent of bad records (the demo feeds 2 %): 5 % sits between.
         */
        public static final double DEFAULT_MAX_DEAD_LETTER_RATIO = 0.05;

        public Limits(int maxRecordBytes, int maxJsonDepth) {
            this(maxRecordBytes, maxJsonDepth, DEFAULT_MAX_DEAD_LETTER_RATIO);
        }
    }
}
