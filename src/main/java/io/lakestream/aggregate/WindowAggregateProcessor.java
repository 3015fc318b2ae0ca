package io.lakestream.aggregate;

import io.lakestream.config.AggregationConfig.WindowConfig;
import io.lakestream.record.NormalizeOutcome.Normalized;
import io.lakestream.window.DrainSignal;
import io.lakestream.window.EventTimeClock;
import io.lakestream.window.LateRecords;
import io.lakestream.window.UpstreamMark;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
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
 * Tumbling and hopping windows are aligned to the epoch; a record updates every window it falls in. When windows
 * close is the {@link EventTimeClock}'s rule; this processor assigns records to windows and emits what closes.
 *
 * <p>The records reach this task through the normalized topic or a repartition topic, either of which merges every
 * upstream source partition, and a backfill or a slow upstream task makes one source run far ahead of another: the
 * watermark is that of the slowest source partition; every partition of the pipeline's source topics is expected
 * from the start.
 *
 * <p>A record is excluded from the windows that are already closed (beyond grace, or idle-closed): it is counted in
 * {@code lakestream.left.out.records} per aggregation and logged ({@link LateRecords}); it still lands in the
 * records table. So the idle timeout trades result latency on quiet partitions against records that a slow producer
 * sends after it being left out of the aggregates.
 *
 * <p>Each close sends an {@link UpstreamMark} (this task, and the window start below which it has emitted every
 * result) alone to every partition of the output topic, after the results it closes, as does a keep-alive while the
 * task has input: the aggregates sink closes a window as soon as every aggregation task has closed past it.
 *
 * <p>Store layout: data keys sort by (window start, group key), so windows come out oldest first; the clock's keys
 * sort first.
 */
final class WindowAggregateProcessor implements Processor<String, Normalized, String, GenericRecord> {

    private static final Logger LOG = LoggerFactory.getLogger(WindowAggregateProcessor.class);
    private static final Bytes DATA_FROM = Bytes.wrap(new byte[]{1});
    private static final Bytes DATA_TO = Bytes.wrap(new byte[]{2});

    private final String pipeline;
    private final String aggregation;
    private final String storeName;
    private final long size;
    private final long advance;
    private final long markEvery;
    private final Accumulators accumulators;
    private final LateRecords late;
    private final EventTimeClock clock;
    private ProcessorContext<String, GenericRecord> context;
    private KeyValueStore<Bytes, byte[]> store;
    /**
     * Starts of the open windows in the store, kept in memory and read from the store once, on first use: a range
     * scan over a cached store copies every cached key in its range, so the hot path must not scan to find them.
     */
    private TreeSet<Long> openWindows;
    private final List<String> expectedUpstreams;
    private final boolean groupFromValue;
    private long lastMarkSent;
    private long lastMarkValue;

    /**
     * @param markEvery how often a task with input sends its mark although it closed nothing: well within the
     *                  aggregates sink's idle timeout, after which a silent task stops holding its windows back
     */
    WindowAggregateProcessor(String pipeline, String aggregation, String storeName, WindowConfig window,
                             Accumulators accumulators, LateRecords late, DrainSignal drain,
                             List<String> expectedUpstreams, boolean groupFromValue, Duration markEvery) {
        this.pipeline = pipeline;
        this.groupFromValue = groupFromValue;
        this.expectedUpstreams = expectedUpstreams;
        this.aggregation = aggregation;
        this.storeName = storeName;
        this.size = window.size().toMillis();
        this.advance = window.advance().toMillis();
        this.markEvery = markEvery.toMillis();
        this.accumulators = accumulators;
        this.late = late;
        this.clock = new EventTimeClock("pipeline " + pipeline + " aggregation " + aggregation, window.grace(),
                window.idleTimeout(), drain, DrainSignal.Stage.INPUT, new EventTimeClock.Windows() {
                    @Override
                    public long newestEnd() {
                        return openWindows().isEmpty() ? Long.MIN_VALUE : openWindows().last() + size;
                    }

                    @Override
                    public boolean closeUpTo(long previous, long to) {
                        emitUpTo(to);
                        return previous == Long.MIN_VALUE || lastEnd(previous) != lastEnd(to);
                    }

                    @Override
                    public int openCount() {
                        return openWindows().size();
                    }
                });
    }

    @Override
    public void init(ProcessorContext<String, GenericRecord> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        // A task revived after an aborted transaction is initialised again with the same processor and its store
        // restored to the last commit: the open windows are read from that store again.
        this.openWindows = null;
        this.lastMarkSent = Long.MIN_VALUE;
        this.lastMarkValue = Long.MIN_VALUE;
        clock.init(context);
        clock.load(store, expectedUpstreams);
        context.schedule(clock.checkInterval(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    @Override
    public void close() {
        clock.close();
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
        clock.observe(EventTimeClock.source(n.topic(), n.partition()), n.eventTime());
        // Read from the normalized topic, a record's key is its business key; through the repartition topic, its
        // group key already.
        String group = groupFromValue ? accumulators.groupKey(n.value()) : record.key();
        int excluded = 0;
        for (long start = Math.floorDiv(n.eventTime(), advance) * advance; start > n.eventTime() - size;
             start -= advance) {
            if (clock.isClosed(start + size)) {
                excluded++;
                continue;
            }
            Bytes key = key(start, group);
            byte[] current = store.get(key);
            GenericRecord acc = current == null ? accumulators.empty(n.value()) : accumulators.decode(current);
            accumulators.add(acc, n.value());
            store.put(key, accumulators.encode(acc));
            clock.opened();
            openWindows().add(start);
        }
        if (excluded > 0) {
            late.leftOut(n.topic(), n.partition(), n.offset(), n.eventTime(), excluded, clock.closedUpTo(),
                    context.currentSystemTimeMs());
        }
        clock.closeDue();
    }

    private void punctuate(long now) {
        clock.punctuate(now);
        // A task with input keeps telling the aggregates sinks where it stands, so that none of them takes it for
        // idle and closes a window without it; an idle task falls silent and stops holding them back.
        if (!clock.idle(now) && (lastMarkSent == Long.MIN_VALUE || now - lastMarkSent >= markEvery)) {
            sendMark();
        }
    }

    /**
     * Closes every window ending at or before {@code to}: emits its results, forgets it, and sends the mark. The
     * results carry the mark in force before this close, and the new mark follows them: a close may emit several
     * windows, and a sink taking the new mark from the first result would close the window of the next one.
     */
    /** The end of the last window of this aggregation's grid that ends at or before {@code mark}. */
    private long lastEnd(long mark) {
        return Math.floorDiv(mark - size, advance) * advance + size;
    }

    private void emitUpTo(long to) {
        UpstreamMark before = new UpstreamMark(context.taskId().partition(), lastMarkValue);
        int emitted = 0;
        while (!openWindows().isEmpty() && clock.isClosed(openWindows().first() + size)) {
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
                context.forward(new Record<>(group, result, context.currentSystemTimeMs(),
                        before.headers()));
                store.delete(kv.key);
            }
            emitted += closed.size();
        }
        if (emitted > 0) {
            LOG.info("pipeline {} aggregation {}: emitted {} final result(s), windows closed up to {}", pipeline,
                    aggregation, emitted, to);
        }
        // The mark moves with the first window left open: most advances of the closed-up-to mark do not move it.
        if (mark().completeBelow() != lastMarkValue) {
            sendMark();
        }
    }

    private UpstreamMark mark() {
        return new UpstreamMark(context.taskId().partition(),
                UpstreamMark.completeBelow(clock.closedUpTo(), size, advance));
    }

    /** The mark alone (no key, no value), which the output topic's partitioner sends to every partition. */
    private void sendMark() {
        UpstreamMark mark = mark();
        context.forward(new Record<String, GenericRecord>(null, null, context.currentSystemTimeMs(),
                mark.headers()));
        lastMarkSent = context.currentSystemTimeMs();
        lastMarkValue = mark.completeBelow();
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
}
