package io.lakestream.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.window.DrainSignal;
import io.lakestream.window.DrainSignal.Stage;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The drain stages and the caught-up decision of a run, driven check by check with a lag the test sets. */
class CatchUpTest {

    private static final Map<TopicPartition, Long> BEHIND = Map.of(new TopicPartition("raw", 0), 5L);
    private static final Map<TopicPartition, Long> CONSUMED = Map.of();
    /** A commit interval of 100 ms: caught up after 2 × 100 ms + 500 ms of quiet. */
    private static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);

    private final DrainSignal drain = new DrainSignal();
    private final DrainSignal.Tracker aggregation = drain.track(Stage.INPUT);
    private final DrainSignal.Tracker aggregatesSink = drain.track(Stage.RESULTS);

    @Test
    void shouldCloseTheInputWindowsOnceTheInputHasStayedConsumedForHalfASecond() {
        CatchUp catchUp = new CatchUp(drain, true, COMMIT_INTERVAL);
        catchUp.check(BEHIND, "", 0);
        catchUp.check(CONSUMED, "", 100);
        catchUp.check(CONSUMED, "", 400);
        assertThat(drain.requested()).isFalse();
        catchUp.check(CONSUMED, "", 600);
        assertThat(drain.requested(Stage.INPUT)).isTrue();
        assertThat(drain.requested(Stage.RESULTS)).isFalse();
    }

    @Test
    void shouldStartTheHalfSecondOverWhenLagShowsUpAgain() {
        CatchUp catchUp = new CatchUp(drain, true, COMMIT_INTERVAL);
        catchUp.check(CONSUMED, "", 0);
        catchUp.check(BEHIND, "", 400);
        catchUp.check(CONSUMED, "", 500);
        catchUp.check(CONSUMED, "", 900);
        assertThat(drain.requested()).isFalse();
        catchUp.check(CONSUMED, "", 1_000);
        assertThat(drain.requested(Stage.INPUT)).isTrue();
    }

    @Test
    void shouldCloseTheAggregatesSinksOnlyAfterTheAggregationsHoldNoWindow() {
        CatchUp catchUp = new CatchUp(drain, true, COMMIT_INTERVAL);
        aggregation.buffering(true);
        checkEvery100Millis(catchUp, 0, 1_500);
        assertThat(drain.requested(Stage.INPUT)).isTrue();
        assertThat(drain.requested(Stage.RESULTS)).isFalse();

        aggregation.buffering(false); // the aggregation flushed its windows; their results have been read
        catchUp.check(CONSUMED, "", 1_600);
        catchUp.check(CONSUMED, "", 2_000);
        assertThat(drain.requested(Stage.RESULTS)).isFalse();
        catchUp.check(CONSUMED, "", 2_100);
        assertThat(drain.requested(Stage.RESULTS)).isTrue();
    }

    @Test
    void shouldBeCaughtUpOnlyWhenNoWindowIsBufferedForLongerThanTheCommitsInFlightTake() {
        CatchUp catchUp = new CatchUp(drain, true, COMMIT_INTERVAL);
        aggregatesSink.buffering(true);
        assertThat(checkEvery100Millis(catchUp, 0, 3_000)).isFalse();
        assertThat(drain.requested(Stage.RESULTS)).isTrue();

        aggregatesSink.buffering(false);
        assertThat(catchUp.check(CONSUMED, "", 3_100)).isFalse();
        assertThat(catchUp.check(CONSUMED, "", 3_700)).isFalse();
        assertThat(catchUp.check(CONSUMED, "", 3_800)).isTrue();
    }

    @Test
    void shouldLeaveOpenWindowsOpenWhenItOnlyWaitsForTheInput() {
        CatchUp catchUp = new CatchUp(drain, false, COMMIT_INTERVAL);
        aggregation.buffering(true);
        catchUp.check(CONSUMED, "", 0);
        assertThat(catchUp.check(CONSUMED, "", 700)).isTrue();
        assertThat(drain.requested()).isFalse();
    }

    @Test
    void shouldNotCountAnInstanceThatIsNotRunningAsConsumed() {
        CatchUp catchUp = new CatchUp(drain, true, COMMIT_INTERVAL);
        for (long t = 0; t <= 2_000; t += 100) {
            assertThat(catchUp.check(null, "state REBALANCING", t)).isFalse();
        }
        assertThat(drain.requested()).isFalse();
        assertThat(catchUp.waitingFor()).isEqualTo("state REBALANCING");
    }

    @Test
    void shouldSayWhatItStillWaitsFor() {
        CatchUp catchUp = new CatchUp(drain, true, COMMIT_INTERVAL);
        aggregation.buffering(true);
        catchUp.check(Map.of(new TopicPartition("raw", 1), 3L, new TopicPartition("raw", 0), 5L), "", 0);
        assertThat(catchUp.waitingFor()).isEqualTo("lag {raw-0=5, raw-1=3}, 1 window buffer(s) or Iceberg commit(s)"
                + " pending");
        catchUp.check(CONSUMED, "", 100);
        assertThat(catchUp.waitingFor()).isEqualTo("lag {}, 1 window buffer(s) or Iceberg commit(s) pending");
    }

    /** Checks with the input consumed every 100 ms from {@code from} to {@code to}; true when the last was caught up. */
    private static boolean checkEvery100Millis(CatchUp catchUp, long from, long to) {
        boolean caughtUp = false;
        for (long t = from; t <= to; t += 100) {
            caughtUp = catchUp.check(CONSUMED, "", t);
        }
        return caughtUp;
    }
}
