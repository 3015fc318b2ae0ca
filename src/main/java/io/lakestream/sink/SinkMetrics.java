package io.lakestream.sink;

import io.lakestream.window.LateRecords;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** The sink's meters for one table. */
final class SinkMetrics {
    final Counter windowsFlushed;
    final Counter objectsWritten;
    final Counter bytesWritten;
    final Counter lateRecords;
    final Timer flushLatency;
    final Counter replayedRecords;
    final Counter replayMissing;
    final Counter partitionOverflow;

    SinkMetrics(MeterRegistry registry, String pipeline, String table) {
        windowsFlushed = registry.counter("lakestream.windows.flushed", "table", table);
        objectsWritten = registry.counter("lakestream.objects.written", "table", table);
        bytesWritten = registry.counter("lakestream.bytes.written", "table", table);
        lateRecords = registry.counter(LateRecords.METRIC, "pipeline", pipeline, "table", table);
        flushLatency = Timer.builder("lakestream.flush.latency").tag("table", table)
                .description("time to write a closed window's objects and catalog partitions")
                .publishPercentileHistogram().register(registry);
        replayedRecords = Counter.builder("lakestream.replayed.records").tags("pipeline", pipeline, "table", table)
                .description("records re-read from the input to rebuild open windows after a restart")
                .register(registry);
        replayMissing = Counter.builder("lakestream.replay.missing.records").tags("pipeline", pipeline, "table", table)
                .description("records a replay needed that the input topic no longer held (retention)")
                .register(registry);
        partitionOverflow = Counter.builder("lakestream.partition.overflow.records").tags("pipeline", pipeline,
                        "table", table)
                .description("records landed in the overflow partition: their window had max-partition-values "
                        + "other partitions already").register(registry);
    }
}
