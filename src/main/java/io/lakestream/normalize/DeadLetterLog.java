package io.lakestream.normalize;

import io.lakestream.record.NormalizeOutcome;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log lines of one pipeline's dead letters: each at DEBUG, and at WARN at most once per error class and minute
 * with how many there were since the previous line of the class and one example. Every dead letter is in the DLQ
 * topic and in {@code lakestream_dlq_records} already; a WARN line per record buried the other logs (hundreds of
 * lines for a few percent of bad input). Shared by the pipeline's tasks, whatever thread runs them.
 */
final class DeadLetterLog {

    static final long EVERY_MILLIS = 60_000;
    private static final Logger log = LoggerFactory.getLogger(DeadLetterProcessor.class);

    private final String pipeline;
    private final LongSupplier clock;
    private final Map<String, Tally> byClass = new ConcurrentHashMap<>();

    private static final class Tally {
        private long count;
        private long lastLine = Long.MIN_VALUE;
    }

    DeadLetterLog(String pipeline) {
        this(pipeline, System::currentTimeMillis);
    }

    DeadLetterLog(String pipeline, LongSupplier clock) {
        this.pipeline = pipeline;
        this.clock = clock;
    }

    void record(NormalizeOutcome.DeadLetter dead) {
        log.debug("Dead letter pipeline={} topic={} partition={} offset={} class={}: {}", pipeline, dead.topic(),
                dead.partition(), dead.offset(), dead.errorClass(), dead.message());
        Tally tally = byClass.computeIfAbsent(dead.errorClass(), c -> new Tally());
        long count;
        synchronized (tally) {
            tally.count++;
            long now = clock.getAsLong();
            if (tally.lastLine != Long.MIN_VALUE && now - tally.lastLine < EVERY_MILLIS) {
                return;
            }
            count = tally.count;
            tally.count = 0;
            tally.lastLine = now;
        }
        log.warn("Dead letters pipeline={} class={}: {} since the last line of this class (at most one a minute), "
                        + "e.g. topic={} partition={} offset={}: {}", pipeline, dead.errorClass(), count, dead.topic(),
                dead.partition(), dead.offset(), dead.message());
    }
}
