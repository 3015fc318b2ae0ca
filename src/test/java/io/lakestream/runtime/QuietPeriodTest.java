package io.lakestream.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class QuietPeriodTest {

    @Test
    void shouldWaitLongerThanACommitIntervalBeforeCallingARunDone() {
        QuietPeriod period = QuietPeriod.afterCommits(Duration.ofSeconds(1));
        assertThat(period.over(true, 0)).isFalse();
        assertThat(period.over(true, 500)).isFalse(); // two checks, but a commit may still be on its way
        assertThat(period.over(true, 2_000)).isFalse();
        assertThat(period.over(true, 2_500)).isTrue();
    }

    @Test
    void shouldStartOverWhenSomethingShowsUp() {
        QuietPeriod period = QuietPeriod.afterCommits(Duration.ofSeconds(1));
        period.over(true, 0);
        period.over(true, 2_000);
        assertThat(period.over(false, 2_400)).isFalse(); // results of a drained window became visible
        assertThat(period.over(true, 2_600)).isFalse();
        assertThat(period.over(true, 4_600)).isFalse();
        assertThat(period.over(true, 5_100)).isTrue();
    }

    @Test
    void shouldNeedTwoChecksEvenWhenTheCommitIntervalIsShort() {
        QuietPeriod period = QuietPeriod.afterCommits(Duration.ZERO);
        assertThat(period.over(true, 0)).isFalse();
        assertThat(period.over(true, 10_000)).isTrue();
    }

    @Test
    void shouldHoldForTheRequiredTimeAcrossChecks() {
        QuietPeriod period = QuietPeriod.lasting(Duration.ofMillis(500));
        assertThat(period.over(true, 0)).isFalse();
        assertThat(period.over(true, 250)).isFalse();
        assertThat(period.over(false, 400)).isFalse();
        assertThat(period.over(true, 600)).isFalse();
        assertThat(period.over(true, 850)).isFalse();
        assertThat(period.over(true, 1_100)).isTrue();
    }
}
