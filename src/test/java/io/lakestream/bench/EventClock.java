package io.lakestream.bench;

import java.time.Duration;
import java.time.Instant;

/**
 * The live benchmark's event time: {@code speed} event-time seconds per wall-clock second, reaching the wall clock
 * when the producer's run ends, so that event time never runs ahead of it (lakestream dead-letters event times more
 * than {@code event-time.max-future} ahead) and at speed 1 is the wall clock itself. At speed 10 an hour of event time
 * passes in 6 minutes, so hour partitions close and are compacted during a run of minutes.
 *
 * @param endMillis wall clock (epoch millis) at which event time equals it: the producer's planned stop
 */
record EventClock(long endMillis, int speed) {

    EventClock {
        if (speed < 1) {
            throw new IllegalArgumentException("event-time speed must be at least 1, was " + speed);
        }
    }

    /** Event time equals the wall clock {@code duration} after {@code startMillis}. */
    static EventClock starting(long startMillis, Duration duration, int speed) {
        return new EventClock(startMillis + duration.toMillis(), speed);
    }

    /** The event time at wall-clock instant {@code now} (exactly {@code now} at speed 1). */
    Instant eventTime(Instant now) {
        return now.minusMillis((speed - 1L) * (endMillis - now.toEpochMilli()));
    }

    /** The event time (epoch millis) at wall-clock millis {@code wall}. */
    long eventAt(long wall) {
        return wall - (speed - 1L) * (endMillis - wall);
    }

    /** The wall-clock millis at which event time reaches {@code event}. */
    long wallAt(long event) {
        return Math.floorDiv(event + (speed - 1L) * endMillis, speed);
    }

    /** A wall-clock duration for an event-time one. */
    long wallMillis(long eventMillis) {
        return eventMillis / speed;
    }
}
