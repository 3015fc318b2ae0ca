package io.lakestream.record;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the records of a pipeline-named topic that another application wrote (see {@link Owner}) and that a reader
 * skips, and says so at WARN at most once a minute per reader: a redeploy under a new application id skips the
 * previous id's records once, which is expected; records skipped all along mean two applications share a pipeline
 * name on one cluster.
 */
public final class ForeignRecords {

    private static final Logger LOG = LoggerFactory.getLogger(ForeignRecords.class);
    private static final long LOG_INTERVAL_MS = 60_000;

    private final String pipeline;
    private final String topic;
    private final Counter skipped;

    public ForeignRecords(String pipeline, String topic, MeterRegistry metrics) {
        this.pipeline = pipeline;
        this.topic = topic;
        this.skipped = Counter.builder("lakestream.foreign.records").tag("pipeline", pipeline).tag("topic", topic)
                .description("records of a pipeline's topic written by another application id, skipped")
                .register(metrics);
    }

    /** Counts one skipped record; a reader (one per task) logs through {@link Reader}. */
    public Reader reader() {
        return new Reader();
    }

    /** One task's view: its own log throttle. */
    public final class Reader {
        private long lastLog = Long.MIN_VALUE;
        private long sinceLog;

        public void skipped(ProcessingContext context) {
            skipped.increment();
            sinceLog++;
            long now = System.currentTimeMillis();
            if (lastLog == Long.MIN_VALUE || now - lastLog >= LOG_INTERVAL_MS) {
                LOG.warn("pipeline {}: task {} skipped {} record(s) of {} written by another application id "
                        + "(an earlier id of this deployment, or another application with a pipeline of the same "
                        + "name on this cluster); they are not this application's input", pipeline, context.taskId(),
                        sinceLog, topic);
                lastLog = now;
                sinceLog = 0;
            }
        }
    }
}
