package io.lakestream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventClockTest {

    private static final long START = Instant.parse("2026-12-07T10:00:00Z").toEpochMilli();

    @Test
    void shouldBeTheWallClockAtSpeedOne() {
        EventClock clock = EventClock.starting(START, Duration.ofMinutes(5), 1);
        Instant now = Instant.parse("2026-12-07T10:01:02.345678Z");

        assertThat(clock.eventTime(now)).isEqualTo(now);
        assertThat(clock.eventAt(START + 1234)).isEqualTo(START + 1234);
        assertThat(clock.wallAt(START + 1234)).isEqualTo(START + 1234);
    }

    @Test
    void shouldRunFasterAndReachTheWallClockWhenTheRunEnds() {
        EventClock clock = EventClock.starting(START, Duration.ofMinutes(18), 10);
        long end = START + Duration.ofMinutes(18).toMillis();

        // 18 min of wall clock are 3 h of event time, ending at the wall clock: never ahead of it
        assertThat(clock.eventAt(START)).isEqualTo(end - Duration.ofHours(3).toMillis());
        assertThat(clock.eventAt(end)).isEqualTo(end);
        assertThat(clock.eventTime(Instant.ofEpochMilli(START + 60_000)).toEpochMilli())
                .isEqualTo(clock.eventAt(START) + 600_000);
        // an hour of event time in 6 min
        long hour = clock.eventAt(START) + Duration.ofHours(1).toMillis();
        assertThat(clock.wallAt(hour)).isEqualTo(START + Duration.ofMinutes(6).toMillis());
        assertThat(clock.wallAt(clock.eventAt(START + 4321))).isEqualTo(START + 4321);
    }

    @Test
    void shouldRefuseASpeedBelowOne() {
        assertThatThrownBy(() -> EventClock.starting(START, Duration.ofMinutes(1), 0))
                .hasMessage("event-time speed must be at least 1, was 0");
    }
}
