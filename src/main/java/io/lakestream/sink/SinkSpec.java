package io.lakestream.sink;

import io.lakestream.config.FileFormat;
import io.lakestream.window.DrainSignal;
import io.lakestream.window.EventTimeClock;
import io.lakestream.window.UpstreamMark;
import java.time.Duration;
import java.util.List;

/**
 * What one sink lands and how: shared by the records sink and the aggregates sink.
 *
 * @param registryTopic topic name given to the registry serde when buffering records (the topic the records belong
 *                      to, so the registry files their schema under the same name as the producer does)
 * @param storeName     buffer store (changelog topic {@code <application-id>-<storeName>-changelog})
 * @param processorName processor name, also the prefix of the landings sink's name
 * @param sourceTopics  topics the sink's task reads (its partition of each holds the watermark back)
 * @param drainStage    when a drain closes this sink's windows: with the raw input, or after the results it lands
 * @param bufferBytes   memory the task's open windows may take before the largest spills to the state directory
 * @param upstreamTasks for the aggregates sink, the number of aggregation tasks feeding it: each holds the
 *                      watermark back as a source partition does (results and progress marks carry their task in
 *                      a header, {@link UpstreamMark}); 0 for the records sink
 * @param layout        where objects go and which partition they belong to (Hive or Iceberg)
 */
record SinkSpec(String pipeline, String table, Duration window, Duration grace, Duration idleTimeout,
                List<String> partitionBy, FileFormat format, String compression, String database, String prefix,
                String registryTopic, String storeName, String processorName, List<String> sourceTopics,
                DrainSignal.Stage drainStage, long bufferBytes, int upstreamTasks, TableLayout layout) {

    /** A sink of a Hive-style table. */
    SinkSpec(String pipeline, String table, Duration window, Duration grace, Duration idleTimeout,
             List<String> partitionBy, FileFormat format, String compression, String database, String prefix,
             String registryTopic, String storeName, String processorName, List<String> sourceTopics,
             DrainSignal.Stage drainStage, long bufferBytes, int upstreamTasks) {
        this(pipeline, table, window, grace, idleTimeout, partitionBy, format, compression, database, prefix,
                registryTopic, storeName, processorName, sourceTopics, drainStage, bufferBytes, upstreamTasks,
                TableLayout.hive(prefix, table, partitionBy));
    }

    /** The sources whose watermarks the task's watermark is the slowest of. */
    List<String> expectedSources(int taskPartition) {
        if (upstreamTasks > 0) {
            return java.util.stream.IntStream.range(0, upstreamTasks).mapToObj(UpstreamMark::source).toList();
        }
        return sourceTopics.stream().map(t -> EventTimeClock.source(t, taskPartition)).toList();
    }

    long windowMillis() {
        return window.toMillis();
    }

    long windowStart(long eventTime) {
        return Math.floorDiv(eventTime, windowMillis()) * windowMillis();
    }
}
