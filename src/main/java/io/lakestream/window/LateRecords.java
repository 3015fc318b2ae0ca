package io.lakestream.window;

import io.micrometer.core.instrument.Counter;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meters of records a windowed processor found too late for their window, and the log of the records left out of
 * an aggregation: a WARN at most once a minute per input partition, naming one record's coordinates and event time
 * and how many were left out since the previous line, so a flood of late records cannot flood the log.
 */
public final class LateRecords {

    /** Records landed in a records table flagged late (tags {@code pipeline}, {@code table}). */
    public static final String METRIC = "lakestream.late.records";
    /** Records left out of an aggregation's windows, all closed when they came (tags pipeline, aggregation). */
    public static final String LEFT_OUT_METRIC = "lakestream.left.out.records";

    static final long LOG_EVERY_MILLIS = 60_000;
    private static final Logger LOG = LoggerFactory.getLogger(LateRecords.class);

    private final String name;
    private final Counter counter;
    private final Map<String, Long> lastLogged = new HashMap<>();
    private final Map<String, Long> unlogged = new HashMap<>();

    /** @param name what the log calls the processor, e.g. {@code pipeline claims aggregation by_account} */
    public LateRecords(String name, Counter counter) {
        this.name = name;
        this.counter = counter;
    }

    /**
     * Counts a record left out of {@code windows} closed window(s), and logs it unless its partition was logged
     * less than a minute ago ({@code now}, wall clock).
     */
    public void leftOut(String topic, int partition, long offset, long eventTime, int windows, long closedUpTo,
                        long now) {
        counter.increment();
        String source = EventTimeClock.source(topic, partition);
        long count = unlogged.merge(source, 1L, Long::sum);
        Long last = lastLogged.get(source);
        if (last != null && now - last < LOG_EVERY_MILLIS) {
            return;
        }
        lastLogged.put(source, now);
        unlogged.remove(source);
        LOG.warn("{}: {} record(s) of {} left out of closed windows{}, e.g. offset {} (event time {}) left out of {} "
                        + "window(s), closed up to {}", name, count, source,
                last == null ? "" : " in the last " + (now - last) / 1000 + " s", offset, iso(eventTime), windows,
                iso(closedUpTo));
    }

    private static String iso(long millis) {
        return millis == Long.MIN_VALUE ? "-" : Instant.ofEpochMilli(millis).toString();
    }
}
