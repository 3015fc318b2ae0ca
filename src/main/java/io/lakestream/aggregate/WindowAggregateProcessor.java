package io.lakestream.aggregate;

import io.lakestream.config.AggregationConfig.WindowConfig;
import io.lakestream.normalize.NormalizeOutcome.Normalized;
import io.lakestream.window.DrainSignal;
import io.lakestream.sink.AggregatesSinkStage;
import io.lakestream.window.SourceWatermarks;
import io.micrometer.core.instrument.Counter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Event-time windowed aggregation that emits only the final result per (group, window), when the window closes.
 * Tumbling and hopping windows are aligned to the epoch; a record updates every window it falls in.
 *
 * <p>The records reach this task through the normalized topic or a repartition topic, either of which merges every
 * upstream source partition, and a backfill or a slow upstream task makes one source run far ahead of another. So the watermark is that of the
 * slowest source partition ({@link SourceWatermarks}); every partition of the pipeline's source topics is expected
 * from the start.
 *
 * <p>Closing otherwise follows the sink's rules: a window closes
 * when the watermark reaches its end plus grace (checked on every record), and a wall-clock punctuator closes every
 * open window of a task idle for {@code idle-timeout}. A record is excluded from the windows that are already closed
 * (beyond grace, or idle-closed): it is logged at WARN and counted in {@code lakestream.late.records}; it still lands
 * in the records table. So the idle timeout trades result latency on quiet partitions against records that a slow
 * producer sends after it being left out of the aggregates.
 *
 * <p>Store layout: data keys sort by (window start, group key), so windows come out oldest first; two metadata keys
 * (sorting first) hold the watermark and closed-up-to mark.
 */
final class WindowAggregateProcessor implements Processor<String, Normalized, String, GenericRecord> {

    private static final Logger LOG = LoggerFactory.getLogger(WindowAggregateProcessor.class);
    private static final Bytes WATERMARK_KEY = Bytes.wrap(new byte[]{0, 'W'});
    private static final Bytes CLOSED_UP_TO_KEY = Bytes.wrap(new byte[]{0, 'C'});
    private static final Bytes DATA_FROM = Bytes.wrap(new byte[]{1});
    private static final Bytes DATA_TO = Bytes.wrap(new byte[]{2});
    /** Without input for this long, a task has consumed what its partition held. */
    private static final Duration CAUGHT_UP = Duration.ofSeconds(1);

    private final String pipeline;
    private final String aggregation;
    private final String storeName;
    private final long size;
    private final long advance;
    private final long grace;
    private final long idleTimeout;
    private final Accumulators accumulators;
    private final Counter lateRecords;
    private ProcessorContext<String, GenericRecord> context;
    private KeyValueStore<Bytes, byte[]> store;
    private long watermark;
    private long closedUpTo;
    /**
     * Starts of the open windows in the store, kept in memory and read from the store once, on first use: a range
     * scan over a cached store copies every cached key in its range, so the hot path must not scan to find them.
     */
    private TreeSet<Long> openWindows;
    private long lastInputWallClock;
    private SourceWatermarks sources;
    private final DrainSignal drain;
    private final List<String> expectedUpstreams;
    private final boolean groupFromValue;
    private DrainSignal.Tracker drainTracker;

    WindowAggregateProcessor(String pipeline, String aggregation, String storeName, WindowConfig window,
                             Accumulators accumulators, Counter lateRecords, DrainSignal drain,
                             List<String> expectedUpstreams, boolean groupFromValue) {
        this.pipeline = pipeline;
        this.groupFromValue = groupFromValue;
        this.expectedUpstreams = expectedUpstreams;
        this.drain = drain;
        this.aggregation = aggregation;
        this.storeName = storeName;
        this.size = window.size().toMillis();
        this.advance = window.advance().toMillis();
        this.grace = window.grace().toMillis();
        this.idleTimeout = window.idleTimeout().toMillis();
        this.accumulators = accumulators;
        this.lateRecords = lateRecords;
    }

    @Override
    public void init(ProcessorContext<String, GenericRecord> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        this.watermark = readLong(WATERMARK_KEY);
        this.closedUpTo = readLong(CLOSED_UP_TO_KEY);
        // A task revived after an aborted transaction is initialised again with the same processor and its store
        // restored to the last commit: the open windows are read from that store again.
        this.openWindows = null;
        this.lastInputWallClock = context.currentSystemTimeMs();
        this.sources = new SourceWatermarks(store, expectedUpstreams, idleTimeout, lastInputWallClock);
        this.drainTracker = drain.track(DrainSignal.Stage.INPUT);

        drainTracker.buffering(true); // until the first punctuation has looked
        context.schedule(DrainSignal.checkInterval(Duration.ofMillis(idleTimeout)), PunctuationType.WALL_CLOCK_TIME,
                this::closeIfIdle);
    }

    @Override
    public void close() {
        drainTracker.close();
    }

    private TreeSet<Long> openWindows() {
        if (openWindows == null) {
            openWindows = new TreeSet<>();
            try (KeyValueIterator<Bytes, byte[]> it = store.range(DATA_FROM, DATA_TO)) {
                it.forEachRemaining(kv -> openWindows.add(windowStart(kv.key)));
            }
        }
        return openWindows;
    }

    @Override
    public void process(Record<String, Normalized> record) {
        Normalized n = record.value();
        lastInputWallClock = context.currentSystemTimeMs();
        long sourcesWatermark = sources.observe(n.topic() + "-" + n.partition(), n.eventTime(), lastInputWallClock);
        if (sourcesWatermark > watermark) {
            watermark = sourcesWatermark;
            store.put(WATERMARK_KEY, ByteBuffer.allocate(8).putLong(watermark).array());
        }
        // Read from the normalized topic, a record's key is its business key; through the repartition topic, its
        // group key already.
        String group = groupFromValue ? accumulators.groupKey(n.value()) : record.key();
        int excluded = 0;
        for (long start = Math.floorDiv(n.eventTime(), advance) * advance; start > n.eventTime() - size;
             start -= advance) {
            if (start + size <= closedUpTo) {
                excluded++;
                continue;
            }
            Bytes key = key(start, group);
            byte[] current = store.get(key);
            GenericRecord acc = current == null ? accumulators.empty(n.value()) : accumulators.decode(current);
            accumulators.add(acc, n.value());
            store.put(key, accumulators.encode(acc));
            drainTracker.buffering(true);
            openWindows().add(start);
        }
        if (excluded > 0) {
            lateRecords.increment();
            LOG.warn("pipeline {} aggregation {}: record {}-{}@{} (event time {}) left out of {} closed window(s); "
                            + "closed up to {}", pipeline, aggregation, n.topic(), n.partition(), n.offset(),
                    n.eventTime(), excluded, closedUpTo);
        }
        long closable = watermark < Long.MIN_VALUE + grace ? Long.MIN_VALUE : watermark - grace;
        if (closable > closedUpTo) {
            emitUpTo(closable);
        }
    }

    private void closeIfIdle(long now) {
        if (now - lastInputWallClock >= Math.min(idleTimeout, CAUGHT_UP.toMillis()) && sources.forgetUnheard()) {
            LOG.info("pipeline {} aggregation {}: task {} consumed its input; source partitions that sent it nothing "
                    + "no longer hold its watermark back", pipeline, aggregation, context.taskId());
            // Close now what the watermark closes without them, before the next record is judged late or not.
            advanceWatermark(sources.watermark(now));
        }
        boolean draining = drainTracker.drainRequested();
        if (!draining && now - lastInputWallClock < idleTimeout) {
            return;
        }
        Long newestEnd = openWindows().isEmpty() ? null : openWindows().last() + size;
        if (newestEnd != null) {
            LOG.info("pipeline {} aggregation {}: task {} {}, closing windows up to {}", pipeline, aggregation,
                    context.taskId(), draining ? "draining" : "idle for " + (now - lastInputWallClock) + " ms",
                    newestEnd);
            emitUpTo(newestEnd);
            // No input is behind these results: commit now, so the aggregates sink (reading committed records only
            // under exactly-once) gets them without waiting for the next interval.
            context.commit();
        }
        drainTracker.buffering(!openWindows().isEmpty());
    }

    private void advanceWatermark(long to) {
        if (to <= watermark) {
            return;
        }
        watermark = to;
        store.put(WATERMARK_KEY, ByteBuffer.allocate(8).putLong(watermark).array());
        long closable = watermark < Long.MIN_VALUE + grace ? Long.MIN_VALUE : watermark - grace;
        if (closable > closedUpTo) {
            emitUpTo(closable);
        }
    }

    /** Closes every window ending at or before {@code to}: emits its results and forgets it. */
    private void emitUpTo(long to) {
        closedUpTo = to;
        store.put(CLOSED_UP_TO_KEY, ByteBuffer.allocate(8).putLong(closedUpTo).array());
        int emitted = 0;
        while (!openWindows().isEmpty() && openWindows().first() + size <= closedUpTo) {
            long start = openWindows().pollFirst();
            List<KeyValue<Bytes, byte[]>> closed = new ArrayList<>();
            try (KeyValueIterator<Bytes, byte[]> it = store.range(windowFrom(start), windowFrom(start + 1))) {
                it.forEachRemaining(closed::add);
            }
            for (KeyValue<Bytes, byte[]> kv : closed) {
                String group = new String(kv.key.get(), 9, kv.key.get().length - 9, StandardCharsets.UTF_8);
                GenericRecord result = accumulators.result(accumulators.decode(kv.value), start, start + size);
                // Emitted now, stamped now: a window end as the Kafka timestamp would let time-based retention
                // delete the results of a backfill before the aggregates sink reads them. The window is in the record.
                // Names this task to the aggregates sink, which waits for the slowest aggregation task.
                Headers upstream = new RecordHeaders().add(AggregatesSinkStage.UPSTREAM_HEADER,
                        ByteBuffer.allocate(4).putInt(context.taskId().partition()).array());
                context.forward(new Record<>(group, result, context.currentSystemTimeMs(), upstream));
                store.delete(kv.key);
            }
            emitted += closed.size();
        }
        if (emitted > 0) {
            LOG.info("pipeline {} aggregation {}: emitted {} final result(s), windows closed up to {}", pipeline,
                    aggregation, emitted, closedUpTo);
        }
    }

    /** The smallest key of window {@code start}: every key of that window sorts after it. */
    private static Bytes windowFrom(long start) {
        return Bytes.wrap(ByteBuffer.allocate(1 + 8).put((byte) 1).putLong(start ^ Long.MIN_VALUE).array());
    }

    private static Bytes key(long windowStart, String group) {
        byte[] g = group.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(1 + 8 + g.length).put((byte) 1).putLong(windowStart ^ Long.MIN_VALUE)
                .put(g).array());
    }

    private static long windowStart(Bytes key) {
        return ByteBuffer.wrap(key.get(), 1, 8).getLong() ^ Long.MIN_VALUE;
    }

    private long readLong(Bytes key) {
        byte[] v = store.get(key);
        return v == null ? Long.MIN_VALUE : ByteBuffer.wrap(v).getLong();
    }
}
