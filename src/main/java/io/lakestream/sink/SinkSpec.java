package io.lakestream.sink;

import io.lakestream.config.AggregationConfig;
import io.lakestream.config.FileFormat;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.LandingConfig;
import io.lakestream.config.PipelineConfig;
import io.lakestream.window.DrainSignal;
import io.lakestream.window.EventTimeClock;
import io.lakestream.window.UpstreamMark;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/**
 * What one sink lands and how: shared by the records sink and the aggregates sink. Built by {@link #records} and
 * {@link #aggregates}, which resolve the table's settings (its format, layout, window) once.
 *
 * @param pipeline      the pipeline the table belongs to
 * @param table         the table landed
 * @param storeName     buffer store (changelog topic {@code <application-id>-<storeName>-changelog})
 * @param processorName processor name, also the prefix of the landings sink's name
 * @param bufferBytes   memory the task's open windows may take before the largest spills to the state directory
 * @param window        the landing window and when it closes
 * @param target        where and in which shape objects land
 * @param inputs        what the sink reads and what holds its watermark back
 */
record SinkSpec(String pipeline, String table, String storeName, String processorName, long bufferBytes,
                Window window, Target target, Inputs inputs) {

    /**
     * @param size        landing window: one object per (partition values, window, source partition)
     * @param grace       how long after window end a window stays open
     * @param idleTimeout wall-clock time without input after which open windows close
     */
    record Window(Duration size, Duration grace, Duration idleTimeout) {

        long millis() {
            return size.toMillis();
        }

        long start(long eventTime) {
            return Math.floorDiv(eventTime, millis()) * millis();
        }
    }

    /**
     * @param database    catalog database of the table
     * @param prefix      lake key prefix every table lives under
     * @param partitionBy the table's Hive partition columns
     * @param format      file format of the objects
     * @param compression parquet codec
     * @param layout      where objects go and which partition they belong to (Hive or Iceberg)
     */
    record Target(String database, String prefix, List<String> partitionBy, FileFormat format, String compression,
                  TableLayout layout) {

        /** The application's lake and catalog settings, with {@code format} falling back to the lake's. */
        static Target of(LakestreamConfig cfg, List<String> partitionBy, FileFormat format, TableLayout layout) {
            return new Target(cfg.catalog().database(), cfg.lake().prefix(), partitionBy,
                    format != null ? format : cfg.lake().format(), cfg.lake().compression(), layout);
        }
    }

    /**
     * @param registryTopic topic name given to the registry serde when buffering records (the topic the records
     *                      belong to, so the registry files their schema under the same name as the producer does)
     * @param topics        topics the sink's task reads (its partition of each holds the watermark back)
     * @param drainStage    when a drain closes this sink's windows: with the raw input, or after the results it lands
     * @param upstreamTasks for the aggregates sink, the number of aggregation tasks feeding it: each holds the
     *                      watermark back as a source partition does (results and progress marks carry their task
     *                      in a header, {@link UpstreamMark}); 0 for the records sink
     */
    record Inputs(String registryTopic, List<String> topics, DrainSignal.Stage drainStage, int upstreamTasks) {

        /** The records sink's: the pipeline's raw topics, drained with the input. */
        static Inputs rawTopics(PipelineConfig p) {
            return new Inputs(p.outputTopic(), p.source().topics(), DrainSignal.Stage.INPUT, 0);
        }

        /** The aggregates sink's: one aggregation's results topic, fed by {@code tasks} aggregation tasks. */
        static Inputs aggregationTasks(AggregationConfig a, int tasks) {
            return new Inputs(a.topic(), List.of(a.topic()), DrainSignal.Stage.RESULTS, tasks);
        }

        /** The sources whose watermarks the task's watermark is the slowest of. */
        List<String> expectedSources(int taskPartition) {
            if (upstreamTasks > 0) {
                return IntStream.range(0, upstreamTasks).mapToObj(UpstreamMark::source).toList();
            }
            return topics.stream().map(t -> EventTimeClock.source(t, taskPartition)).toList();
        }
    }

    /** The records sink of one table of a pipeline's landing. */
    static SinkSpec records(LakestreamConfig cfg, PipelineConfig p, String table, String store, String processor,
                            TableLayouts layouts) {
        LandingConfig landing = p.landing();
        TableLayout layout = layouts.of(table, landing.partitionBy(), p.eventTime().field());
        if (layout.hiveCatalog()) {
            layout = TableLayout.hive(cfg.lake().prefix(), table, landing.partitionBy(), landing.maxPartitionValues());
        }
        return new SinkSpec(p.name(), table, store, processor, cfg.application().windowBuffer(),
                new Window(landing.window(), landing.grace(), landing.idleTimeout()),
                Target.of(cfg, landing.partitionBy(), landing.format(), layout), Inputs.rawTopics(p));
    }

    /**
     * The aggregates sink of one aggregation: the pipeline's landing window with no grace of its own (the
     * aggregation applied its grace), partitioned by the landing's time columns only (aggregate rows have no record
     * fields to partition by).
     *
     * @param eventTimeField the result field holding its window start
     */
    static SinkSpec aggregates(LakestreamConfig cfg, PipelineConfig p, AggregationConfig a, String store,
                               String processor, int aggregationTasks, TableLayouts layouts, String eventTimeField) {
        LandingConfig landing = p.landing();
        List<String> partitionBy = landing.partitionBy().stream().filter(c -> c.equals("dt") || c.equals("hour"))
                .toList();
        return new SinkSpec(p.name(), a.table(), store, processor, cfg.application().windowBuffer(),
                new Window(landing.window(), Duration.ZERO, landing.idleTimeout()),
                Target.of(cfg, partitionBy, a.format(), layouts.of(a.table(), partitionBy, eventTimeField)),
                Inputs.aggregationTasks(a, aggregationTasks));
    }
}
