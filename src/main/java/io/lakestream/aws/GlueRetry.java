package io.lakestream.aws;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.glue.model.AlreadyExistsException;
import software.amazon.awssdk.services.glue.model.ConcurrentModificationException;
import software.amazon.awssdk.services.glue.model.ThrottlingException;

/**
 * Runs Glue calls, counting each in {@code lakestream.catalog.calls {op, outcome}} and retrying the errors the
 * SDK's own retries do not cover: ConcurrentModificationException (another instance updating the same table or
 * partitions) and ThrottlingException that outlasted the SDK's attempts. Backoff is exponential with full
 * jitter, so instances that collided once do not collide again in lockstep.
 */
final class GlueRetry {

    static final String METRIC = "lakestream.catalog.calls";
    private static final Logger log = LoggerFactory.getLogger(GlueRetry.class);

    private final MeterRegistry metrics;
    private final int attempts;
    private final Duration base;
    private final Duration cap;

    /** @param metrics where calls are counted, or null */
    GlueRetry(MeterRegistry metrics, int attempts, Duration base, Duration cap) {
        this.metrics = metrics;
        this.attempts = attempts;
        this.base = base;
        this.cap = cap;
    }

    static GlueRetry standard(MeterRegistry metrics) {
        return new GlueRetry(metrics, 8, Duration.ofMillis(100), Duration.ofSeconds(5));
    }

    /**
     * Calls {@code call} until it succeeds, fails with a non-retryable error, or runs out of attempts.
     * AlreadyExistsException is counted as outcome {@code already_exists} and rethrown for the caller to accept.
     */
    <T> T call(String op, String target, Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                T result = call.get();
                count(op, "success");
                return result;
            } catch (AlreadyExistsException e) {
                count(op, "already_exists");
                throw e;
            } catch (ConcurrentModificationException | ThrottlingException e) {
                if (attempt >= attempts) {
                    count(op, "error");
                    throw e;
                }
                count(op, "retry");
                long delay = backoff(attempt);
                log.warn("Glue {} on {} failed with {} (attempt {}), retrying in {} ms", op, target,
                        e.getClass().getSimpleName(), attempt, delay);
                sleep(delay);
            } catch (RuntimeException e) {
                count(op, "error");
                throw e;
            }
        }
    }

    void count(String op, String outcome) {
        if (metrics != null) {
            metrics.counter(METRIC, "op", op, "outcome", outcome).increment();
        }
    }

    long backoff(int attempt) {
        long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(attempt - 1, 20));
        return ThreadLocalRandom.current().nextLong(ceiling + 1);
    }

    int attempts() {
        return attempts;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GlueCatalogException("interrupted while waiting to retry a Glue call", e);
        }
    }
}
