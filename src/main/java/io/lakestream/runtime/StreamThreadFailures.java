package io.lakestream.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TransactionAbortedException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a failed stream thread becomes. A transaction a broker no longer accepts (a zombie's
 * {@code InvalidTxnStateException} during a broker restart, a fenced or bumped producer epoch) says nothing about the
 * data: the thread is replaced, its new producer aborts the open transaction, and its tasks resume from their last
 * commit — what exactly-once already relies on after a crash. Anything else escaping a processor is a failure that
 * cannot be skipped without losing records: the instance shuts down so its tasks move or it restarts. So does a
 * thread replaced more than {@link #MAX_REPLACEMENTS} times in {@link #WINDOW}: a failure that repeats is not a
 * passing zombie.
 */
final class StreamThreadFailures implements StreamsUncaughtExceptionHandler {

    static final int MAX_REPLACEMENTS = 5;
    static final Duration WINDOW = Duration.ofMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger(StreamThreadFailures.class);

    private final Counter replaced;
    private final LongSupplier clock;
    private final java.util.function.Consumer<Throwable> fatal;
    private final Deque<Long> recent = new ArrayDeque<>();

    /** @param fatal told of the failure that shuts the instance down */
    StreamThreadFailures(MeterRegistry metrics, LongSupplier clock, java.util.function.Consumer<Throwable> fatal) {
        this.replaced = Counter.builder("lakestream.stream.threads.replaced")
                .description("stream threads replaced after a transaction the broker no longer accepted")
                .register(metrics);
        this.clock = clock;
        this.fatal = fatal;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable e) {
        Throwable txn = transactionalCause(e);
        long now = clock.getAsLong();
        while (!recent.isEmpty() && now - recent.peekFirst() > WINDOW.toMillis()) {
            recent.removeFirst();
        }
        if (txn != null && recent.size() < MAX_REPLACEMENTS) {
            recent.addLast(now);
            replaced.increment();
            LOG.warn("stream thread failed on a transaction the broker no longer accepts ({}: {}); replacing the "
                    + "thread, its tasks resume from their last commit", txn.getClass().getSimpleName(),
                    txn.getMessage());
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        if (txn != null) {
            LOG.error("stream thread failed on a transaction again, {} replacements in {}; shutting down this "
                    + "instance", recent.size(), WINDOW, e);
        } else {
            // Not bad input (that goes to the DLQ): a failure we cannot skip without losing records.
            LOG.error("stream thread failed; shutting down this instance", e);
        }
        fatal.accept(e);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    /** The transactional failure in {@code e}'s cause chain, or null. */
    static Throwable transactionalCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidTxnStateException || t instanceof ProducerFencedException
                    || t instanceof InvalidProducerEpochException || t instanceof TransactionAbortedException) {
                return t;
            }
        }
        return null;
    }
}
