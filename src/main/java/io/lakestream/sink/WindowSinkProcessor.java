package io.lakestream.sink;

import io.lakestream.normalize.NormalizeOutcome.Normalized;
import io.lakestream.sink.BufferCodec.Chunk;
import io.lakestream.sink.BufferCodec.Entry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serializer;
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
 * Buffers records per landing window in a changelogged store (in chunks of consecutive records, see
 * {@link BufferCodec}) and lands each window when it closes, forwarding one
 * landing event (key = table, value = JSON) per object.
 *
 * <p>Windows are event-time windows. The task's watermark is the event time it has reached (Kafka Streams' stream
 * time follows Kafka timestamps, not event time): with one source partition the largest event time seen, with
 * several (a pipeline over several topics) the slowest of them ({@link SourceWatermarks}). It is kept in the store
 * with {@code closedUpTo}: every
 * window ending at or before it is closed. A window closes when the watermark reaches its end plus grace, checked
 * on every record. A record whose window is already closed is late: it is buffered under the earliest open window
 * (so it lands with the next flush), keeps its event-time partition values, and lands in a separate {@code -late}
 * object; it is counted in {@code lakestream.late.records}, never dropped.
 *
 * <p>Idle closure: a wall-clock punctuator closes every open window of a task that has received no record for
 * {@code idle-timeout}. This bounds how long a quiet partition holds data back; the price is that records arriving
 * after the idle closure for those windows (for instance when the producer was merely slow, not done) are late and
 * land in late objects, so the table has more, smaller objects for those windows. Choose an idle timeout well above
 * the gaps a healthy producer leaves.
 */
final class WindowSinkProcessor implements Processor<Object, Normalized, String, String> {

    private static final Logger LOG = LoggerFactory.getLogger(WindowSinkProcessor.class);

    private final SinkSpec spec;
    private final WindowFlusherFactory flusherFactory;
    private final Serializer<GenericRecord> serializer;
    private final SinkMetrics metrics;
    private ProcessorContext<String, String> context;
    private KeyValueStore<Bytes, byte[]> buffer;
    private WindowFlusher flusher;
    private long watermark;
    private long closedUpTo;
    private long lastInputWallClock;
    private DrainSignal.Tracker drainTracker;
    private SourceWatermarks sources;
    /**
     * Starts of the flush windows holding buffered records, kept in memory and read from the store once, on first
     * use: a range scan over a cached store copies every cached key in its range, so the hot path must not scan to
     * find them.
     */
    private TreeSet<Long> openWindows;
    /**
     * Chunks still being filled, by (flush window, source partition). In memory only: after a restart, records go to
     * new chunks, keyed by their own first offset, which no chunk in the store has.
     */
    private final Map<ChunkId, Chunk> openChunks = new HashMap<>();

    private record ChunkId(long flushWindowStart, String topic, int partition) {
    }

    /** Builds the flusher once the processor is initialised (the deserializer is per task). */
    interface WindowFlusherFactory {
        WindowFlusher create();
    }

    private final DrainSignal drain;

    WindowSinkProcessor(SinkSpec spec, Serializer<GenericRecord> serializer, SinkMetrics metrics,
                        WindowFlusherFactory flusherFactory, DrainSignal drain) {
        this.spec = spec;
        this.drain = drain;
        this.serializer = serializer;
        this.metrics = metrics;
        this.flusherFactory = flusherFactory;
    }

    @Override
    public void init(ProcessorContext<String, String> context) {
        this.context = context;
        this.buffer = context.getStateStore(spec.storeName());
        this.flusher = flusherFactory.create();
        this.watermark = BufferCodec.decodeLong(buffer.get(BufferCodec.WATERMARK_KEY), Long.MIN_VALUE);
        this.closedUpTo = BufferCodec.decodeLong(buffer.get(BufferCodec.CLOSED_UP_TO_KEY), Long.MIN_VALUE);
        // A task revived after an aborted transaction is initialised again with the same processor and its store
        // restored to the last commit: nothing kept in memory may outlive that.
        this.openWindows = null;
        this.openChunks.clear();
        this.lastInputWallClock = context.currentSystemTimeMs();
        int partition = context.taskId().partition();
        this.sources = new SourceWatermarks(buffer, spec.sourceTopics().stream().map(t -> t + "-" + partition)
                .toList(), spec.idleTimeout().toMillis(), lastInputWallClock);
        this.drainTracker = drain.track(spec.drainStage());
        drainTracker.buffering(true); // until the first punctuation has looked
        context.schedule(DrainSignal.checkInterval(spec.idleTimeout()), PunctuationType.WALL_CLOCK_TIME,
                this::closeIfIdle);
    }

    @Override
    public void close() {
        drainTracker.close();
    }

    @Override
    public void process(Record<Object, Normalized> record) {
        Normalized n = record.value();
        lastInputWallClock = context.currentSystemTimeMs();
        long sourcesWatermark = sources.observe(n.topic() + "-" + n.partition(), n.eventTime(), lastInputWallClock);
        if (sourcesWatermark > watermark) {
            watermark = sourcesWatermark;
            buffer.put(BufferCodec.WATERMARK_KEY, BufferCodec.encodeLong(watermark));
        }
        long eventWindow = spec.windowStart(n.eventTime());
        boolean late = eventWindow + spec.windowMillis() <= closedUpTo;
        // The earliest open window is the one holding closedUpTo: it ends after closedUpTo.
        long flushWindow = late ? spec.windowStart(closedUpTo) : eventWindow;
        if (late) {
            metrics.lateRecords.increment();
            LOG.debug("pipeline {} table {}: late record {}-{}@{} (event window {}, closed up to {})",
                    spec.pipeline(), spec.table(), n.topic(), n.partition(), n.offset(), eventWindow, closedUpTo);
        }
        byte[] wire = serializer.serialize(spec.registryTopic(), n.value());
        Entry entry = new Entry(flushWindow, n.topic(), n.partition(), n.offset(), n.eventTime(),
                n.kafkaTimestamp(), late, eventWindow, wire);
        ChunkId id = new ChunkId(flushWindow, n.topic(), n.partition());
        Chunk chunk = openChunks.computeIfAbsent(id,
                c -> new Chunk(BufferCodec.key(flushWindow, n.topic(), n.partition(), n.offset())));
        chunk.append(entry);
        buffer.put(chunk.key(), chunk.value());
        if (chunk.full()) {
            openChunks.remove(id);
        }
        drainTracker.buffering(true);
        openWindows().add(flushWindow);
        long grace = spec.grace().toMillis();
        long closable = watermark < Long.MIN_VALUE + grace ? Long.MIN_VALUE : watermark - grace;
        if (closable > closedUpTo) {
            advanceClosedUpTo(closable);
        }
    }

    private void closeIfIdle(long now) {
        boolean draining = drainTracker.drainRequested();
        if (!draining && now - lastInputWallClock < spec.idleTimeout().toMillis()) {
            return;
        }
        Long newest = openWindows().isEmpty() ? null : openWindows().last();
        if (newest == null) {
            drainTracker.buffering(false);
            return;
        }
        LOG.info("pipeline {} table {}: task {} {}, closing open windows up to {}", spec.pipeline(), spec.table(),
                context.taskId(), draining ? "draining" : "idle for " + (now - lastInputWallClock) + " ms",
                newest + spec.windowMillis());
        advanceClosedUpTo(newest + spec.windowMillis());
        drainTracker.buffering(!openWindows().isEmpty());
        // No input is behind this flush: commit now rather than at the next interval, so its landing events and
        // the emptied buffer are committed (and a drain sees them) without waiting.
        context.commit();
    }

    private TreeSet<Long> openWindows() {
        if (openWindows == null) {
            openWindows = new TreeSet<>();
            try (KeyValueIterator<Bytes, byte[]> it = buffer.range(BufferCodec.DATA_FROM, BufferCodec.DATA_TO)) {
                it.forEachRemaining(kv -> openWindows.add(BufferCodec.flushWindowStart(kv.key)));
            }
        }
        return openWindows;
    }

    private void advanceClosedUpTo(long to) {
        closedUpTo = to;
        buffer.put(BufferCodec.CLOSED_UP_TO_KEY, BufferCodec.encodeLong(closedUpTo));
        while (flushOldestIfClosed()) {
            // one window per pass, so memory holds one window's records at a time
        }
    }

    /**
     * The entries of a window's chunks, each source offset once, in (topic, partition, offset) order. Under
     * at-least-once the store can hold records past the committed offset when an instance dies; their replay goes
     * to a new chunk, so the same offset can be buffered twice.
     */
    private List<Entry> distinctOffsets(long windowStart, List<KeyValue<Bytes, byte[]>> chunks) {
        Set<SourceOffset> seen = new HashSet<>();
        List<Entry> distinct = new ArrayList<>();
        int buffered = 0;
        for (KeyValue<Bytes, byte[]> kv : chunks) {
            for (Entry e : BufferCodec.decode(kv.key, kv.value)) {
                buffered++;
                if (seen.add(new SourceOffset(e.topic(), e.partition(), e.offset()))) {
                    distinct.add(e);
                }
            }
        }
        if (distinct.size() < buffered) {
            // A replayed record may sit in a later chunk than the ones around it in offset order.
            distinct.sort(Comparator.comparing(Entry::topic).thenComparingInt(Entry::partition)
                    .thenComparingLong(Entry::offset));
            LOG.info("pipeline {} table {}: window {} held {} record(s) buffered twice (replayed after an "
                    + "at-least-once restart); each lands once", spec.pipeline(), spec.table(), windowStart,
                    buffered - distinct.size());
        }
        return distinct;
    }

    private record SourceOffset(String topic, int partition, long offset) {
    }

    /** Lands the oldest buffered window if it is closed; false when there is none. */
    private boolean flushOldestIfClosed() {
        if (openWindows().isEmpty() || openWindows().first() + spec.windowMillis() > closedUpTo) {
            return false;
        }
        long windowStart = openWindows().pollFirst();
        List<KeyValue<Bytes, byte[]>> window = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = buffer.range(BufferCodec.windowFrom(windowStart),
                BufferCodec.windowFrom(windowStart + 1))) {
            it.forEachRemaining(window::add);
        }
        if (window.isEmpty()) {
            return true;
        }
        openChunks.keySet().removeIf(id -> id.flushWindowStart() == windowStart);
        List<Entry> entries = distinctOffsets(windowStart, window);
        long timestamp = context.currentSystemTimeMs();
        for (LandingEvent event : flusher.flush(windowStart, entries)) {
            context.forward(new Record<>(spec.table(), event.toJson(), timestamp));
        }
        window.forEach(kv -> buffer.delete(kv.key));
        return true;
    }
}
