package io.lakestream.window;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets a scheduled run ({@code run --until-caught-up}, {@code demo}) close every open window once its input is
 * consumed, instead of waiting for the idle timeout, and tells it whether any window is still buffered in this
 * process. Windowed processors register one {@link Tracker} per task and store.
 *
 * <p>The drain goes in {@link Stage stages}: first the processors fed by the raw topics close their windows (the
 * aggregations emit their last results), then, once those results have been read, the processors fed by them (the
 * aggregates sinks). Closed together, an aggregates sink would close a window before the aggregation's last results
 * for it arrived, and land them again in a late object. The Iceberg committers are tracked too, though they close
 * nothing: a run that ends caught up waits until the files they hold are committed (at their next commit interval,
 * which a drain does not shorten: at most one commit per table per interval holds to the end), so that it leaves
 * every landed file in a snapshot.
 */
public final class DrainSignal {

    /** Which processors a drain stage closes, in order. */
    public enum Stage {
        /** Processors fed by the raw topics: records sinks and aggregations. */
        INPUT,
        /** Processors fed by another processor's closed windows: aggregates sinks. */
        RESULTS,
        /** The Iceberg committers: never requested; their trackers say whether landed files await a commit. */
        COMMITS
    }

    /** Ordinal of the latest stage requested; -1 before any. */
    private volatile int requested = -1;
    /** Start time of the latest lag check that found every input of the application consumed. */
    private volatile long inputConsumedAt = Long.MIN_VALUE;
    private volatile boolean inputCheckWanted;
    private final Set<Tracker> trackers = ConcurrentHashMap.newKeySet();

    /**
     * How often a windowed processor looks for idleness and for a drain: a quarter of its idle timeout, between
     * 100 ms and 250 ms. A look costs two comparisons; a drain waits for it once per hop (aggregation, then the
     * aggregates sink), so it is kept short.
     */
    public static Duration checkInterval(Duration idleTimeout) {
        return Duration.ofMillis(Math.min(250, Math.max(100, idleTimeout.toMillis() / 4)));
    }

    /** From now on, the processors of {@code stage} and of every stage before it close all their open windows. */
    public void request(Stage stage) {
        requested = Math.max(requested, stage.ordinal());
    }

    /** Whether the processors of {@code stage} are to close their windows. */
    public boolean requested(Stage stage) {
        return requested >= stage.ordinal();
    }

    /** Whether any stage has been requested. */
    public boolean requested() {
        return requested >= 0;
    }

    /**
     * Asks the application to check whether it has consumed its whole input (its consumer group's committed offsets
     * at the end of every topic it reads). A processor asks when it has been without input for a moment and still
     * waits for a source that never sent anything: that source may have nothing for it, or its records may still be
     * on the way (an upstream task that has not read its partition yet).
     */
    public void wantInputCheck() {
        inputCheckWanted = true;
    }

    /** Whether a processor asked for an input check since the last call; clears the request. */
    public boolean takeInputCheckRequest() {
        boolean wanted = inputCheckWanted;
        inputCheckWanted = false;
        return wanted;
    }

    /** Records that a lag check started at {@code startedAt} (wall clock) found every input consumed. */
    public void inputConsumed(long startedAt) {
        if (startedAt > inputConsumedAt) {
            inputConsumedAt = startedAt;
        }
    }

    /**
     * Wall-clock start of the latest lag check that found every input consumed, or {@code Long.MIN_VALUE}. A
     * processor whose last record came before it has nothing more on the way from any source.
     */
    public long inputConsumedAt() {
        return inputConsumedAt;
    }

    /** Number of (task, store) pairs in this process that still hold buffered windows. */
    public long buffering() {
        return trackers.stream().filter(t -> t.buffering).count();
    }

    /** Number of (task, store) pairs of {@code stage} in this process that still hold buffered windows. */
    public long buffering(Stage stage) {
        return trackers.stream().filter(t -> t.stage == stage && t.buffering).count();
    }

    /** Open windows held by the processors of this process, as they last counted them (the run's progress line). */
    public long openWindows() {
        return trackers.stream().mapToLong(t -> t.openWindows).sum();
    }

    /** Whether one processor instance holds open windows; set on every record, cleared after a full flush. */
    public final class Tracker {
        private final Stage stage;
        private volatile boolean buffering;
        private volatile int openWindows;

        private Tracker(Stage stage) {
            this.stage = stage;
        }

        public void buffering(boolean value) {
            buffering = value;
        }

        /** How many windows the processor holds open now (for display only). */
        public void openWindows(int count) {
            openWindows = count;
        }

        /** Whether this tracker's processor is to close its windows now. */
        public boolean drainRequested() {
            return requested(stage);
        }

        public void close() {
            trackers.remove(this);
        }
    }

    /** A tracker for a processor of {@code stage}. */
    public Tracker track(Stage stage) {
        Tracker tracker = new Tracker(stage);
        trackers.add(tracker);
        return tracker;
    }
}
