package io.lakestream.sink;

import io.lakestream.record.NormalizeOutcome.Normalized;
import io.lakestream.record.ReplayDecoder;
import io.lakestream.sink.BufferCodec.Entry;
import io.lakestream.window.DrainSignal;
import io.lakestream.window.EventTimeClock;
import io.lakestream.window.InputReplay;
import io.lakestream.window.UpstreamMark;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lands a task's records per event-time window: the open windows' rows are held in memory ({@link WindowBuffer},
 * spilling to the state directory past a bound), the changelogged store holds only offsets ({@link LandingState}),
 * and each window is written when it closes, forwarding one landing event (key = table, value = JSON) per object.
 * One Kafka write per input record is the normalized topic's; the sink adds none.
 *
 * <p>Windows are event-time windows; when they close (watermark, grace, idle close, drain) is the
 * {@link EventTimeClock}'s rule. A record whose window is already closed is late: it is buffered under the earliest
 * open window (so it lands with the next flush), keeps its event-time partition values, and lands in a separate
 * {@code -late} object; it is counted in {@code lakestream.late.records}, never dropped. An idle close bounds how
 * long a quiet partition holds data back; the price is that records arriving after it for those windows are late.
 *
 * <p>Restart = replay. When the task starts (a new instance, a rebalance, a task revived after fencing or an
 * aborted transaction) and its restored state names open windows, it re-reads each input partition from the first
 * offset an open window took from it up to the committed offset, through the same decoding as the live path, and
 * puts each record back into the window it went to: its event window, or for a record that was late when
 * processed, the earliest window open at that moment (the closed-up-to mark in force at its offset, from the
 * closure log). So a rebuilt window holds exactly the records the lost one held. Windows that were closed and
 * written but whose commit was lost are rebuilt the same way and land again onto the objects already present
 * ({@link WindowFlusher} skips the offsets they hold). An idle closure that was not committed may happen at a
 * different moment after the restart; records processed in between then go to other windows than they would
 * have, still exactly once.
 */
final class WindowSinkProcessor implements Processor<Object, Normalized, String, String> {

    private static final Logger LOG = LoggerFactory.getLogger(WindowSinkProcessor.class);

    private final SinkSpec spec;
    private final WindowFlusherFactory flusherFactory;
    private final Serializer<GenericRecord> serializer;
    private final SinkMetrics metrics;
    private final InputReplay replay;
    private final ReplayDecoder decoder;
    private ProcessorContext<String, String> context;
    private LandingState state;
    private WindowBuffer buffer;
    private WindowFlusher flusher;
    private final EventTimeClock clock;
    private boolean started;
    /** Per input partition, the next offset to process (in memory; written only with each closure). */
    private final Map<TopicPartition, Long> positions = new HashMap<>();

    /** Builds the flusher once the processor is initialised (the deserializer is per task). */
    interface WindowFlusherFactory {
        WindowFlusher create();
    }

    WindowSinkProcessor(SinkSpec spec, Serializer<GenericRecord> serializer, SinkMetrics metrics,
                        WindowFlusherFactory flusherFactory, DrainSignal drain, InputReplay replay,
                        ReplayDecoder decoder) {
        this.spec = spec;
        this.clock = new EventTimeClock("pipeline " + spec.pipeline() + " table " + spec.table(), spec.window().grace(),
                spec.window().idleTimeout(), drain, spec.inputs().drainStage(), new EventTimeClock.Windows() {
                    @Override
                    public long newestEnd() {
                        return state.windows().isEmpty() ? Long.MIN_VALUE
                                : state.windows().last() + spec.window().millis();
                    }

                    @Override
                    public boolean closeUpTo(long previous, long to) {
                        return closed(previous, to);
                    }

                    @Override
                    public int openCount() {
                        return state.windows().size();
                    }
                });
        this.serializer = serializer;
        this.metrics = metrics;
        this.flusherFactory = flusherFactory;
        this.replay = replay;
        this.decoder = decoder;
    }

    @Override
    public void init(ProcessorContext<String, String> context) {
        this.context = context;
        this.flusher = flusherFactory.create();
        // A task revived after an aborted transaction is initialised again with the same processor and its store
        // restored to the last commit: nothing kept in memory may outlive that.
        this.started = false;
        if (buffer != null) {
            buffer.close();
        }
        clock.init(context);
        context.schedule(clock.checkInterval(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    /**
     * Reads the task's state and rebuilds its open windows, before the first record or punctuation: the store is
     * restored by then, and the replay's end (the committed offset) is where the task's input resumes.
     */
    private void start() {
        started = true;
        KeyValueStore<Bytes, byte[]> store = context.getStateStore(spec.storeName());
        this.state = new LandingState(store);
        clock.load(store, spec.inputs().expectedSources(context.taskId().partition()));
        this.buffer = new WindowBuffer(spec.bufferBytes(),
                () -> context.stateDir().toPath().resolve(spec.storeName() + ".spill"));
        this.positions.clear();
        rebuildOpenWindows();
    }

    @Override
    public void close() {
        clock.close();
        if (buffer != null) {
            buffer.close();
        }
    }

    @Override
    public void process(Record<Object, Normalized> record) {
        if (!started) {
            start();
        }
        Normalized n = record.value();
        TopicPartition source = new TopicPartition(n.topic(), n.partition());
        positions.put(source, n.offset() + 1);
        UpstreamMark mark = spec.inputs().upstreamTasks() > 0 ? UpstreamMark.read(record.headers()) : null;
        if (mark != null) {
            clock.observe(mark.source(), mark.completeBelow());
        } else {
            clock.observe(EventTimeClock.source(n.topic(), n.partition()), n.eventTime());
        }
        if (n.value() == null) {
            clock.closeDue(); // a progress mark: it moves the watermark only
            return;
        }
        long eventWindow = spec.window().start(n.eventTime());
        long closedUpTo = clock.closedUpTo();
        boolean late = clock.isClosed(eventWindow + spec.window().millis());
        // The earliest open window is the one holding closedUpTo: it ends after closedUpTo.
        long flushWindow = late ? spec.window().start(closedUpTo) : eventWindow;
        if (late) {
            metrics.lateRecords.increment();
            LOG.debug("pipeline {} table {}: late record {}-{}@{} (event window {}, closed up to {})",
                    spec.pipeline(), spec.table(), n.topic(), n.partition(), n.offset(), eventWindow, closedUpTo);
        }
        if (state.firstOffset(flushWindow, source) == null) {
            state.opened(flushWindow, source, n.offset());
        }
        buffer.append(entry(n, flushWindow, late, eventWindow));
        clock.opened();
        clock.closeDue();
    }

    private Entry entry(Normalized n, long flushWindow, boolean late, long eventWindow) {
        return new Entry(flushWindow, n.topic(), n.partition(), n.offset(), n.eventTime(), n.kafkaTimestamp(), late,
                eventWindow, serializer.serialize(spec.inputs().registryTopic(), n.value()));
    }

    /** Puts the records of the open windows back into memory from the input partitions (see the class comment). */
    private void rebuildOpenWindows() {
        Map<TopicPartition, Long> from = state.replayFrom();
        if (from.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        long[] rebuilt = {0};
        Map<TopicPartition, InputReplay.Replayed> replayed = replay.replay(from, r -> {
            Normalized n = decoder.decode(r);
            if (n == null) {
                return;
            }
            TopicPartition source = new TopicPartition(n.topic(), n.partition());
            long mark = state.markAt(source, n.offset(), clock.closedUpTo());
            long eventWindow = spec.window().start(n.eventTime());
            boolean late = eventWindow + spec.window().millis() <= mark;
            long flushWindow = late ? spec.window().start(mark) : eventWindow;
            Long first = state.firstOffset(flushWindow, source);
            if (first != null && n.offset() >= first) {
                buffer.append(entry(n, flushWindow, late, eventWindow));
                rebuilt[0]++;
            }
        });
        replayed.forEach((tp, r) -> {
            positions.put(tp, r.to());
            if (r.missing() > 0) {
                metrics.replayMissing.increment(r.missing());
                LOG.error("pipeline {} table {}: offsets {}..{} of {} are no longer in the topic (retention); the "
                                + "open windows that held them land without them. Keep the input topic's retention "
                                + "above window + grace + idle-timeout", spec.pipeline(), spec.table(),
                        r.requestedFrom(), Math.min(r.firstAvailable(), r.to()) - 1, tp);
            }
        });
        metrics.replayedRecords.increment(rebuilt[0]);
        LOG.info("pipeline {} table {}: task {} rebuilt {} open window(s) from {} replayed record(s) of {} in {} ms",
                spec.pipeline(), spec.table(), context.taskId(), state.windows().size(), rebuilt[0], replayed,
                (System.nanoTime() - started) / 1_000_000);
    }

    private void punctuate(long now) {
        if (!started) {
            start();
        }
        clock.punctuate(now);
    }

    /** Acts on an advance of the closed-up-to mark from {@code previous} to {@code to}: lands what it closes. */
    private boolean closed(long previous, long to) {
        // Lateness and the window a late record goes to depend on the mark's window only (windows are aligned),
        // so the closure log takes an entry per window closed, not per record.
        if (windowOfMark(to) == windowOfMark(previous)) {
            return false;
        }
        state.closed(windowOfMark(previous), windowOfMark(to), positions);
        while (flushOldestIfClosed()) {
            // one window per pass, so memory holds one closed window's records at a time
        }
        return true;
    }

    /** The start of the window holding {@code mark}: what lateness is judged by. */
    private long windowOfMark(long mark) {
        return mark == Long.MIN_VALUE ? Long.MIN_VALUE : spec.window().start(mark);
    }

    /** Lands the oldest open window if it is closed; false when there is none. */
    private boolean flushOldestIfClosed() {
        if (state.windows().isEmpty() || !clock.isClosed(state.windows().first() + spec.window().millis())) {
            return false;
        }
        long windowStart = state.windows().first();
        List<Entry> entries = buffer.take(windowStart);
        if (!entries.isEmpty()) {
            long timestamp = context.currentSystemTimeMs();
            for (LandingEvent event : flusher.flush(windowStart, entries)) {
                context.forward(new Record<>(spec.table(), event.toJson(), timestamp));
            }
        }
        state.landed(windowStart);
        return true;
    }
}
