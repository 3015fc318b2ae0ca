package io.lakestream.normalize;

import io.lakestream.config.PipelineConfig;
import java.time.Duration;
import java.time.Instant;

/**
 * The sanity bounds on event time, relative to the wall clock when the record is normalized. A record outside them
 * never reaches the windows: a claim dated 2204 would otherwise move its partition's watermark by centuries and make
 * every later record late.
 *
 * <p>The wall clock, not stream time, is the reference: stream time is what an outlier would corrupt. A replay long
 * after the fact judges the same record against a later clock, so {@code max-past} (off by default) can send a
 * record to the DLQ on replay that landed the first time; set it well above the longest replay you intend.
 */
final class EventTimeBounds {

    private final String field;
    private final Duration maxFuture;
    private final Duration maxPast;
    private final EventTimeTruncation truncation;

    /** @param pipeline its event time is judged as truncated when the event-time field is (see {@link Normalizer}) */
    EventTimeBounds(PipelineConfig pipeline) {
        PipelineConfig.EventTimeConfig eventTime = pipeline.eventTime();
        this.truncation = EventTimeTruncation.of(pipeline);
        this.field = eventTime.field();
        this.maxFuture = eventTime.maxFuture();
        this.maxPast = eventTime.maxPast();
    }

    /** @throws NormalizeException EVENT_TIME_OUT_OF_BOUNDS naming both times and the setting */
    void check(long eventTimeMillis, long wallClockMillis) {
        if (maxFuture != null && eventTimeMillis - wallClockMillis > maxFuture.toMillis()) {
            throw outside(eventTimeMillis, wallClockMillis, "more than " + text(maxFuture)
                    + " ahead of", "event-time.max-future");
        }
        if (maxPast != null && wallClockMillis - eventTimeMillis > maxPast.toMillis()) {
            throw outside(eventTimeMillis, wallClockMillis, "more than " + text(maxPast)
                    + " behind", "event-time.max-past");
        }
    }

    private NormalizeException outside(long eventTime, long wallClock, String relation, String setting) {
        return new NormalizeException(ErrorClass.EVENT_TIME_OUT_OF_BOUNDS, "field " + field + ": event time "
                + truncation.text(eventTime) + " is " + relation + " the wall clock " + Instant.ofEpochMilli(wallClock)
                + " (" + setting + ")");
    }

    private static String text(Duration d) {
        return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
}
