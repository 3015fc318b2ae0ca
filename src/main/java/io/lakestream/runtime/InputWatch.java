package io.lakestream.runtime;

import io.lakestream.window.DrainSignal;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the windowed processors' question "has the application consumed its whole input?"
 * ({@link DrainSignal#wantInputCheck()}): a daemon thread that, when asked, reads the consumer group's lag over every
 * topic the topology reads and, when there is none, records when the check began
 * ({@link DrainSignal#inputConsumed(long)}). It checks only when asked, at most every {@link #EVERY_MILLIS}.
 */
final class InputWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InputWatch.class);
    static final long EVERY_MILLIS = 250;

    /** The lag of the application's input, per partition with any; throws when the brokers do not answer. */
    interface Lag {
        Map<TopicPartition, Long> lag(Set<String> topics) throws InterruptedException;
    }

    private final DrainSignal signal;
    private final Lag lag;
    private final Set<String> topics;
    private final BooleanSupplier running;
    private final LongSupplier clock;
    private final Thread thread;
    private volatile boolean closed;

    InputWatch(DrainSignal signal, Lag lag, Set<String> topics, BooleanSupplier running, LongSupplier clock,
               String name) {
        this.signal = signal;
        this.lag = lag;
        this.topics = topics;
        this.running = running;
        this.clock = clock;
        this.thread = new Thread(this::loop, name + "-input-watch");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** One look: when a processor asked and the application runs, checks the lag. Returns whether it checked. */
    boolean checkOnce() throws InterruptedException {
        if (!signal.takeInputCheckRequest() || !running.getAsBoolean()) {
            return false;
        }
        long startedAt = clock.getAsLong();
        if (lag.lag(topics).isEmpty()) {
            signal.inputConsumed(startedAt);
        }
        return true;
    }

    private void loop() {
        while (!closed) {
            try {
                checkOnce();
                Thread.sleep(EVERY_MILLIS);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // The brokers do not answer: the processors keep waiting (at most their idle timeout).
                LOG.debug("input check failed: {}", e.toString());
            }
        }
    }

    /** Stops the thread and waits for it, so that the lag source can be closed after. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
