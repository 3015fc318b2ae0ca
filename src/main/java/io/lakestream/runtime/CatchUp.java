package io.lakestream.runtime;

import io.lakestream.window.DrainSignal;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a run that waits for its input has caught up, and the drain stages on the way there. Checked over and over
 * ({@link #check}): once the input has stayed consumed for {@link #CONSUMED_FOR}, the records sinks and aggregations
 * close their open windows ({@link DrainSignal.Stage#INPUT}); once they hold none and their last results have been
 * read, the aggregates sinks close theirs ({@link DrainSignal.Stage#RESULTS}); caught up once nothing is left to
 * consume and no window or Iceberg commit is pending, for longer than the commits in flight take
 * ({@link QuietPeriod#afterCommits}). Without draining, open windows stay open and only the input counts.
 */
final class CatchUp {

    private static final Logger log = LoggerFactory.getLogger(CatchUp.class);

    /** How long the input must stay consumed before a drain stage closes the windows fed by it. */
    static final Duration CONSUMED_FOR = Duration.ofMillis(500);

    private final DrainSignal drain;
    private final boolean draining;
    private final QuietPeriod quietPeriod;
    private final QuietPeriod inputConsumed = QuietPeriod.lasting(CONSUMED_FOR);
    private final QuietPeriod inputDrained = QuietPeriod.lasting(CONSUMED_FOR);
    private String waitingFor = "";

    /**
     * @param draining       whether to close the open windows once the input is consumed (a caught-up run), or
     *                       only to wait for the input to be consumed
     * @param commitInterval the application's commit interval
     */
    CatchUp(DrainSignal drain, boolean draining, Duration commitInterval) {
        this.drain = drain;
        this.draining = draining;
        this.quietPeriod = QuietPeriod.afterCommits(commitInterval);
    }

    /**
     * Records one check at {@code nowMillis}, requesting a drain stage when its time has come.
     *
     * @param lag        records left per partition of the topics the application reads (empty once all are
     *                   consumed), or null while Kafka Streams is not running
     * @param notRunning what to say for a null lag (the state Kafka Streams is in)
     * @return true once caught up
     */
    boolean check(Map<TopicPartition, Long> lag, String notRunning, long nowMillis) {
        boolean consumed = lag != null && lag.isEmpty();
        // Drain only after consecutive checks have agreed for half a second: a window closed early turns on-time
        // records late.
        if (inputConsumed.over(consumed, nowMillis) && draining && !drain.requested()) {
            log.info("input consumed; closing every open window of the records sinks and aggregations");
            drain.request(DrainSignal.Stage.INPUT);
        }
        // Then the aggregates sinks, once the aggregations have emitted their last results and those have been read:
        // closed at the same time, an aggregates sink lands them again as a late object.
        boolean aggregationsDrained = drain.requested(DrainSignal.Stage.INPUT) && consumed
                && drain.buffering(DrainSignal.Stage.INPUT) == 0;
        if (inputDrained.over(aggregationsDrained, nowMillis) && draining
                && !drain.requested(DrainSignal.Stage.RESULTS)) {
            log.info("last aggregation results read; closing every open window of the aggregates sinks");
            drain.request(DrainSignal.Stage.RESULTS);
        }
        // Buffered windows, and files landed for an Iceberg table and not yet committed to it.
        long pending = draining ? drain.buffering() : 0;
        // Not at the first quiet check: a flush emits records to topics this instance reads again, and they become
        // visible only when their transaction commits.
        boolean idle = consumed && pending == 0;
        if (quietPeriod.over(idle, nowMillis)) {
            return true;
        }
        if (!idle) {
            waitingFor = lag == null ? notRunning : "lag {" + LagProbe.describe(lag) + "}, "
                    + pending + " window buffer(s) or Iceberg commit(s) pending";
        }
        return false;
    }

    /** What the run still waited for at the last check that found it busy. */
    String waitingFor() {
        return waitingFor;
    }
}
