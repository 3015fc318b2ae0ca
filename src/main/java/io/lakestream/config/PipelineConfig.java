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
 * @param alerts       alert rules, evaluated on the protected record with its derived columns
 * @param derive       computed columns added to every record after protection, in order (each may read the ones
 *                     before it); see {@link RecordSchemas#records}
 * @param filter       a SQL condition a record must meet to be landed, aggregated and alerted on, or null for all
 */
public record PipelineConfig(String name, SourceConfig source, Path schemaFile, List<String> key,
                             EventTimeConfig eventTime, Map<String, String> fields, String outputTopic,
                             String dlqTopic, LandingConfig landing, List<AggregationConfig> aggregations,
                             Limits limits, ProtectionConfig protection, AlertConfig alerts,
                             List<DerivedColumn> derive, String filter) {

    /** A pipeline without derived columns or filter. */
    public PipelineConfig(String name, SourceConfig source, Path schemaFile, List<String> key,
                          EventTimeConfig eventTime, Map<String, String> fields, String outputTopic,
                          String dlqTopic, LandingConfig landing, List<AggregationConfig> aggregations,
                          Limits limits, ProtectionConfig protection, AlertConfig alerts) {
        this(name, source, schemaFile, key, eventTime, fields, outputTopic, dlqTopic, landing, aggregations, limits,
                protection, alerts, List.of(), null);
    }

    /**
     * @param name column name (lower-case letters, digits, '_'), not a field of the schema
     * @param expr SQL expression over the protected record and the columns derived before this one
     */
    public record DerivedColumn(String name, String expr) {
    }

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
     * @param zone    zone of local date-times (no offset), or null (default): an ISO-8601 time without a zone is
     *                then a TIMESTAMP_WITHOUT_ZONE dead letter, and a pattern without an offset is read in UTC
     * @param maxFuture how far ahead of the wall clock an event time may be (default 1h); later records go to the
     *                  DLQ as EVENT_TIME_OUT_OF_BOUNDS so that one outlier cannot drag a watermark into the future
     * @param maxPast   how far behind the wall clock an event time may be, or null (default) for no bound
     */
    public record EventTimeConfig(String field, String format, String pattern, String zone,
                                  java.time.Duration maxFuture, java.time.Duration maxPast) {

        /** The default bound on future event times. */
        public static final java.time.Duration DEFAULT_MAX_FUTURE = java.time.Duration.ofHours(1);

        /** With the default bounds: at most 1h ahead of the wall clock, no bound in the past. */
        public EventTimeConfig(String field, String format, String pattern, String zone) {
            this(field, format, pattern, zone, DEFAULT_MAX_FUTURE, null);
        }
    }

    /** This pipeline with other limits; the topic limits are filled in at start from the cluster. */
    public PipelineConfig withLimits(Limits newLimits) {
        return new PipelineConfig(name, source, schemaFile, key, eventTime, fields, outputTopic, dlqTopic, landing,
                aggregations, newLimits, protection, alerts, derive, filter);
    }

    /**
     * The input guards from the YAML, and the size limits of the pipeline's own topics, which are not settings but
     * facts of the cluster: read at start (the topic's {@code max.message.bytes} and the producer's
     * {@code max.request.size}, the smaller of the two), Kafka's defaults until then.
     *
     * @param maxRecordBytes     values larger than this go to the DLQ (default 1 MiB)
     * @param maxJsonDepth       JSON nested deeper than this goes to the DLQ (default 32)
     * @param maxDeadLetterRatio the data-quality gate: a run whose dead letters exceed this share of the records read
     *                           fails (default {@link #DEFAULT_MAX_DEAD_LETTER_RATIO}); 1 turns the gate off
     * @param dlqRecordBytes     largest record the DLQ topic accepts; a larger dead letter keeps its payload as an
     *                           object under {@code overflowPrefix} and carries a pointer to it
     * @param outputRecordBytes  largest record the output topic accepts; a larger normalized record is a dead letter
     *                           (OUTPUT_TOO_LARGE)
     * @param overflowPrefix     object key prefix of dead-letter payloads too large for the DLQ topic:
     *                           {@code <lake.prefix>_dead_letters/}
     */
    public record Limits(int maxRecordBytes, int maxJsonDepth, double maxDeadLetterRatio, int dlqRecordBytes,
                         int outputRecordBytes, String overflowPrefix) {

        /**
         * A wrong type in a schema dead-letters every record carrying the field (the ratio then nears 1), while
         * producers with ordinary noise send a few percent of bad records (the demo feeds 2 %): 5 % sits between.
         */
        public static final double DEFAULT_MAX_DEAD_LETTER_RATIO = 0.05;
        /** Kafka's default record limit: the producer's {@code max.request.size}. */
        public static final int KAFKA_DEFAULT_RECORD_BYTES = 1_048_576;
        /** Folder of oversized dead-letter payloads, under the lake prefix. */
        public static final String OVERFLOW_FOLDER = "_dead_letters/";

        /** With the default gate, Kafka's default topic limits and no lake prefix. */
        public Limits(int maxRecordBytes, int maxJsonDepth) {
            this(maxRecordBytes, maxJsonDepth, DEFAULT_MAX_DEAD_LETTER_RATIO);
        }

        /** With Kafka's default topic limits and no lake prefix. */
        public Limits(int maxRecordBytes, int maxJsonDepth, double maxDeadLetterRatio) {
            this(maxRecordBytes, maxJsonDepth, maxDeadLetterRatio, KAFKA_DEFAULT_RECORD_BYTES,
                    KAFKA_DEFAULT_RECORD_BYTES, OVERFLOW_FOLDER);
        }

        /** These limits with the topic limits read from the cluster and the lake prefix. */
        public Limits withTopics(int dlqBytes, int outputBytes, String lakePrefix) {
            return new Limits(maxRecordBytes, maxJsonDepth, maxDeadLetterRatio, dlqBytes, outputBytes,
                    (lakePrefix == null ? "" : lakePrefix) + OVERFLOW_FOLDER);
        }
    }
}
