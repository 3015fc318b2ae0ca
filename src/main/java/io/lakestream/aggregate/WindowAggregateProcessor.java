package io.lakestream.aggregate;

import io.lakestream.config.AggregationConfig.WindowConfig;
import io.lakestream.normalize.NormalizeOutcome.Normalized;
import io.lakestream.sink.DrainSignal;
import io.micrometer.core.instrument.Counter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
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
 * <p>The records reach this task through a repartition topic that merges every upstream source partition, and a
 * backfill or a slow upstream task makes one source run far ahead of another. So the watermark is the SMALLEST of
 * the per-source-partition watermarks (each the largest event time seen from that source partition), not the
 * largest event time seen overall; a source partition that has sent nothing for {@code idle-timeout} of wall-clock
 * time stops holding the watermark back. Every partition of the pipeline's source topics is expected from the
 * start, so one that has not sent anything yet holds the watermark back too (for at most the idle timeout).
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
    private static final Bytes UPSTREAM_FROM = Bytes.wrap(new byte[]{0, 'U'});
    private static final Bytes UPSTREAM_TO = Bytes.wrap(new byte[]{0, 'V'});
    private static final Bytes DATA_FROM = Bytes.wrap(new byte[]{1});
    private static final Bytes DATA_TO = Bytes.wrap(new byte[]{2});

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
    private long lastInputWallClock;
    /** Largest event time seen per source topic-partition, and when each last sent a record (wall clock). */
    private final Map<String, Long> upstreamWatermarks = new HashMap<>();
    private final Map<String, Long> upstreamLastSeen = new HashMap<>();
    private final DrainSignal drain;
    private final List<String> expectedUpstreams;
    private DrainSignal.Tracker drainTracker;

    WindowAggregateProcessor(String pipeline, String aggregation, String storeName, WindowConfig window,
                             Accumulators accumulators, Counter lateRecords, DrainSignal drain,
                             List<String> expectedUpstreams) {
        this.pipeline = pipeline;
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
        this.lastInputWallClock = context.currentSystemTimeMs();
        // Every source partition holds the watermark back from the start, even before its first record here.
        for (String source : expectedUpstreams) {
            upstreamWatermarks.put(source, Long.MIN_VALUE);
            upstreamLastSeen.put(source, lastInputWallClock);
        }
        try (KeyValueIterator<Bytes, byte[]> it = store.range(UPSTREAM_FROM, UPSTREAM_TO)) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                String source = new String(kv.key.get(), 2, kv.key.get().length - 2, StandardCharsets.UTF_8);
                upstreamWatermarks.put(source, ByteBuffer.wrap(kv.value).getLong());
                upstreamLastSeen.put(source, lastInputWallClock);
            }
        }
        this.drainTracker = drain.track();
        drainTracker.buffering(hasOpenWindows());
        context.schedule(Duration.ofMillis(Math.min(1000, Math.max(100, idleTimeout / 4))),
                PunctuationType.WALL_CLOCK_TIME, this::closeIfIdle);
    }

    @Override
    public void close() {
        drainTracker.close();
    }

    private boolean hasOpenWindows() {
        try (KeyValueIterator<Bytes, byte[]> it = store.range(DATA_FROM, DATA_TO)) {
            return it.hasNext();
        }
    }

    @Override
    public void process(Record<String, Normalized> record) {
        Normalized n = record.value();
        lastInputWallClock = context.currentSystemTimeMs();
        advanceWatermark(n.topic() + "-" + n.partition(), n.eventTime());
        String group = record.key();
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

    private void advanceWatermark(String source, long eventTime) {
        upstreamLastSeen.put(source, lastInputWallClock);
        Long previous = upstreamWatermarks.get(source);
        if (previous == null || eventTime > previous) {
            upstreamWatermarks.put(source, eventTime);
            store.put(upstreamKey(source), ByteBuffer.allocate(8).putLong(eventTime).array());
        }
        long min = Long.MAX_VALUE;
        for (Map.Entry<String, Long> e : upstreamWatermarks.entrySet()) {
            boolean active = lastInputWallClock - upstreamLastSeen.get(e.getKey()) < idleTimeout;
            if (active) {
                min = Math.min(min, e.getValue());
            }
        }
        if (min != Long.MAX_VALUE && min != Long.MIN_VALUE && min > watermark) {
            watermark = min;
            store.put(WATERMARK_KEY, ByteBuffer.allocate(8).putLong(watermark).array());
        }
    }

    private static Bytes upstreamKey(String source) {
        byte[] s = source.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(2 + s.length).put((byte) 0).put((byte) 'U').put(s).array());
    }

    private void closeIfIdle(long now) {
        boolean draining = drain.requested();
        if (!draining && now - lastInputWallClock < idleTimeout) {
            return;
        }
        Long newestEnd = null;
        try (KeyValueIterator<Bytes, byte[]> it = store.reverseRange(DATA_FROM, DATA_TO)) {
            if (it.hasNext()) {
                newestEnd = windowStart(it.next().key) + size;
            }
        }
        if (newestEnd != null) {
            LOG.info("pipeline {} aggregation {}: task {} {}, closing windows up to {}", pipeline, aggregation,
                    context.taskId(), draining ? "draining" : "idle for " + (now - lastInputWallClock) + " ms",
                    newestEnd);
            emitUpTo(newestEnd);
        }
        drainTracker.buffering(hasOpenWindows());
    }

    /** Closes every window ending at or before {@code to}: emits its results and forgets it. */
    private void emitUpTo(long to) {
        closedUpTo = to;
        store.put(CLOSED_UP_TO_KEY, ByteBuffer.allocate(8).putLong(closedUpTo).array());
        List<KeyValue<Bytes, byte[]>> closed = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.range(DATA_FROM, DATA_TO)) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                if (windowStart(kv.key) + size > closedUpTo) {
                    break;
                }
                closed.add(kv);
            }
        }
        for (KeyValue<Bytes, byte[]> kv : closed) {
            long start = windowStart(kv.key);
            String group = new String(kv.key.get(), 9, kv.key.get().length - 9, StandardCharsets.UTF_8);
            GenericRecord result = accumulators.result(accumulators.decode(kv.value), start, start + size);
            context.forward(new Record<>(group, result, start + size));
            store.delete(kv.key);
        }
        if (!closed.isEmpty()) {
            LOG.info("pipeline {} aggregation {}: emitted {} final result(s), windows closed up to {}", pipeline,
                    aggregation, closed.size(), closedUpTo);
        }
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
