package io.lakestream.sink;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets a scheduled run ({@code run --until-caught-up}, {@code demo}) close every open window once its input is
 * consumed, instead of waiting for the idle timeout, and tells it whether any window is still buffered in this
 * process. Windowed processors register one {@link Tracker} per task and store.
 */
public final class DrainSignal {

    private volatile boolean requested;
    private final Set<Tracker> trackers = ConcurrentHashMap.newKeySet();

    /**
     * How often a windowed processor looks for idleness and for a drain: a quarter of its idle timeout, between
     * 100 ms and 250 ms. A look costs two comparisons; a drain waits for it once per hop (aggregation, then the
     * aggregates sink), so it is kept short.
     */
    public static Duration checkInterval(Duration idleTimeout) {
        return Duration.ofMillis(Math.min(250, Math.max(100, idleTimeout.toMillis() / 4)));
    }

    /** From now on, windowed processors close all their open windows at their next wall-clock punctuation. */
    public void request() {
        requested = true;
    }

    public boolean requested() {
        return requested;
    }

    /** Number of (task, store) pairs in this process that still hold buffered windows. */
    public long buffering() {
        return trackers.stream().filter(t -> t.buffering).count();
    }

    Tracker register() {
        Tracker tracker = new Tracker();
        trackers.add(tracker);
        return tracker;
    }

    /** Whether one processor instance holds open windows; set on every record, cleared after a full flush. */
    public final class Tracker {
        private volatile boolean buffering;

        public void buffering(boolean value) {
            buffering = value;
        }

        public void close() {
            trackers.remove(this);
        }
    }

    /** For processors outside this package. */
    public Tracker track() {
        return register();
    }
}
