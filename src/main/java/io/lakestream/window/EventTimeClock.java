package io.lakestream.window;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collection;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The window rule of one windowed task, written once for every windowed processor: when windows close. The
 * processor only assigns records to windows and acts on closes ({@link Windows}).
 *
 * <ul>
 *   <li><b>Watermark</b>: the event time the task has reached. Kafka Streams' stream time follows Kafka timestamps,
 *       not event time, so the clock keeps its own: the slowest of its sources' watermarks
 *       ({@link SourceWatermarks}), never moving back.</li>
 *   <li><b>Closed-up-to mark</b>: every window ending at or before it is closed; a record for such a window is late.
 *       It moves to watermark minus grace, checked after every record ({@link #closeDue()}).</li>
 *   <li><b>Idle close</b>: a wall-clock punctuation closes every open window once the task has had no record for the
 *       idle timeout, so a quiet partition does not hold data back forever.</li>
 *   <li><b>Drain</b>: a scheduled run closes every open window at once when its stage is requested
 *       ({@link DrainSignal}). While an earlier stage drains, a later stage's processor does not close by watermark:
 *       the earlier stage's bursts (each aggregation task emits all its windows, oldest first) would otherwise make
 *       another task's results for the same window late. For a processor of the first stage this never holds.</li>
 *   <li><b>Unheard sources</b>: a task expects its sources from the start; the sources that have sent nothing stop
 *       holding the watermark back (they rejoin with their first record) once the task has heard from one and either
 *       has had no input for the idle timeout, or has had none for a moment ({@link #CAUGHT_UP}) and the application
 *       has since found its whole input consumed ({@link DrainSignal#inputConsumedAt()}): nothing is then on the way
 *       from any source. Not on the pause alone: an aggregation is fed by upstream tasks that may not have read their
 *       partitions yet (one stream thread reads them in turn), and forgetting those sources would make their
 *       on-time records late. Every processor follows this rule: a source with nothing to send would otherwise hold
 *       every close back for the idle timeout.</li>
 * </ul>
 *
 * <p>The watermark and the mark live in the task's changelogged store under {@link #WATERMARK_KEY} and
 * {@link #CLOSED_UP_TO_KEY} (sorting before any processor's data keys), so a restarted task resumes them.
 */
public final class EventTimeClock {

    public static final Bytes WATERMARK_KEY = Bytes.wrap(new byte[] {0, 'W'});
    public static final Bytes CLOSED_UP_TO_KEY = Bytes.wrap(new byte[] {0, 'C'});
    /** Without input for this long, a task has consumed what its partitions held. */
    static final Duration CAUGHT_UP = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(EventTimeClock.class);

    /** The open windows of a processor, as the clock needs to see them. */
    public interface Windows {
        /** End of the newest open window, or {@code Long.MIN_VALUE} when none is open. */
        long newestEnd();

        /**
         * Closes every open window ending at or before {@code to}; {@code previous} was the mark before. Returns
         * whether the move crossed the end of a window of the processor's grid (open or not): only then does the
         * mark say something new about which records are late, and the clock writes it to the store at once;
         * otherwise at its next punctuation.
         */
        boolean closeUpTo(long previous, long to);

        /** How many windows are open (shown by the run's progress line). */
        default int openCount() {
            return newestEnd() == Long.MIN_VALUE ? 0 : 1;
        }
    }

    private final String name;
    private final long grace;
    private final long idleTimeout;
    private final DrainSignal drain;
    private final DrainSignal.Stage stage;
    private final Windows windows;
    private DrainSignal.Tracker tracker;
    private ProcessorContext<?, ?> context;
    private KeyValueStore<Bytes, byte[]> store;
    private SourceWatermarks sources;
    private long watermark;
    private long closedUpTo;
    private long lastInput;
    private boolean watermarkUnsaved;
    private boolean markUnsaved;

    /** @param name what the logs call the processor, e.g. {@code pipeline claims table claims} */
    public EventTimeClock(String name, Duration grace, Duration idleTimeout, DrainSignal drain,
                          DrainSignal.Stage stage, Windows windows) {
        this.name = name;
        this.grace = grace.toMillis();
        this.idleTimeout = idleTimeout.toMillis();
        this.drain = drain;
        this.stage = stage;
        this.windows = windows;
    }

    /** The name of an input partition as a watermark source. */
    public static String source(String topic, int partition) {
        return topic + "-" + partition;
    }

    /**
     * Starts tracking for drains; called from the processor's {@code init}. A task revived after an aborted
     * transaction is initialised again with the same processor: the previous tracker goes, so a revived task never
     * leaves a tracker behind that says it buffers.
     */
    public void init(ProcessorContext<?, ?> context) {
        this.context = context;
        if (tracker != null) {
            tracker.close();
        }
        tracker = drain.track(stage);
        tracker.buffering(true); // until the first punctuation has looked
    }

    /** How often the processor calls {@link #punctuate}: idleness and drains are looked for that often. */
    public Duration checkInterval() {
        return DrainSignal.checkInterval(Duration.ofMillis(idleTimeout));
    }

    /** Reads the watermark and mark from the task's (restored) store; the {@code expected} sources hold it back. */
    public void load(KeyValueStore<Bytes, byte[]> store, Collection<String> expected) {
        this.store = store;
        this.watermark = readLong(WATERMARK_KEY);
        this.closedUpTo = readLong(CLOSED_UP_TO_KEY);
        this.lastInput = context.currentSystemTimeMs();
        this.sources = new SourceWatermarks(store, expected, idleTimeout, lastInput);
    }

    public long closedUpTo() {
        return closedUpTo;
    }

    public long watermark() {
        return watermark;
    }

    /** Whether the task has had no record for the idle timeout at {@code now}. */
    public boolean idle(long now) {
        return now - lastInput >= idleTimeout;
    }

    /** Whether a window ending at {@code windowEnd} is closed: a record for it is late. */
    public boolean isClosed(long windowEnd) {
        return windowEnd <= closedUpTo;
    }

    /**
     * Notes a record of {@code source} at {@code eventTime} (for a source that sends marks, the time up to which it
     * is complete). The processor then assigns the record, judged against the mark in force, and calls
     * {@link #closeDue()}.
     */
    public void observe(String source, long eventTime) {
        lastInput = context.currentSystemTimeMs();
        raise(sources.observe(source, eventTime, lastInput));
    }

    /** Notes that the processor holds an open window (a drain waits for it). */
    public void opened() {
        tracker.buffering(true);
    }

    /** Closes what watermark minus grace closes, unless an earlier drain stage is under way. */
    public void closeDue() {
        long closable = watermark < Long.MIN_VALUE + grace ? Long.MIN_VALUE : watermark - grace;
        if (closable > closedUpTo && !awaitingDrainStage()) {
            advance(closable);
        }
    }

    /** The wall-clock punctuation: forgets unheard sources, then closes every open window if idle or draining. */
    public void punctuate(long now) {
        save();
        if (sources.waitsForUnheard() && now - lastInput >= Math.min(idleTimeout, CAUGHT_UP.toMillis())
                && unheardHaveNothing(now) && sources.forgetUnheard()) {
            LOG.info("{}: task {} consumed its input; source partitions that sent it nothing no longer hold its "
                    + "watermark back", name, context.taskId());
            raise(sources.watermark(now));
            closeDue();
        }
        boolean draining = tracker.drainRequested();
        tracker.openWindows(windows.openCount());
        if (!draining && now - lastInput < idleTimeout) {
            return;
        }
        long newestEnd = windows.newestEnd();
        if (newestEnd != Long.MIN_VALUE) {
            LOG.info("{}: task {} {}, closing open windows up to {}", name, context.taskId(),
                    draining ? "draining" : "idle for " + (now - lastInput) + " ms", newestEnd);
            advance(newestEnd);
            // No input is behind this close: commit now rather than at the next interval, so what it wrote (and
            // the emptied state) is committed, and read downstream or seen by a drain, without waiting.
            context.commit();
        }
        tracker.buffering(windows.newestEnd() != Long.MIN_VALUE);
        tracker.openWindows(windows.openCount());
    }

    public void close() {
        if (tracker != null) {
            tracker.close();
        }
    }

    /**
     * Whether the sources not heard from have nothing on the way: the task has been idle for the idle timeout, or a
     * check of the application's input that began after this task's last record found it all consumed (asked for
     * here otherwise).
     */
    private boolean unheardHaveNothing(long now) {
        if (now - lastInput >= idleTimeout || drain.inputConsumedAt() > lastInput) {
            return true;
        }
        drain.wantInputCheck();
        return false;
    }

    /** Whether a drain is under way whose stage for this processor has not come yet. */
    private boolean awaitingDrainStage() {
        return drain.requested() && !tracker.drainRequested();
    }

    private void raise(long to) {
        if (to > watermark) {
            watermark = to;
            watermarkUnsaved = true;
        }
    }

    /**
     * Writes the mark and the watermarks to the store when the mark crosses a window end and at each punctuation, not
     * per record (three store writes a record, 5 % of the CPU of a records table). Which records are late depends
     * only on the last window end at or before the mark, so the mark in the store always says the same as the mark
     * in memory; a task restarted from a slightly older watermark closes its next window a few records later.
     */
    private void save() {
        if (markUnsaved) {
            writeLong(CLOSED_UP_TO_KEY, closedUpTo);
            markUnsaved = false;
        }
        if (watermarkUnsaved) {
            writeLong(WATERMARK_KEY, watermark);
            watermarkUnsaved = false;
        }
        sources.save();
    }

    private void advance(long to) {
        if (to <= closedUpTo) {
            return;
        }
        long previous = closedUpTo;
        closedUpTo = to;
        markUnsaved = true;
        if (windows.closeUpTo(previous, to)) {
            save();
        }
    }

    private long readLong(Bytes key) {
        byte[] v = store.get(key);
        return v == null ? Long.MIN_VALUE : ByteBuffer.wrap(v).getLong();
    }

    private void writeLong(Bytes key, long value) {
        store.put(key, ByteBuffer.allocate(8).putLong(value).array());
    }
}
