package io.lakestream.runtime;

import java.time.Duration;

/**
 * Whether a condition checked over and over has held long enough: seen at least twice in a row and for at least a
 * required time since it was first seen; one check without it starts over.
 *
 * <p>{@link #afterCommits} decides when a run is done: nothing left to consume and no window buffered, for longer
 * than a commit interval. Records that a window's closing emits (aggregation results, landing events) come from a
 * punctuation, not from an input offset: until the transaction that holds them commits, read-committed consumers
 * cannot see them, so neither the lag nor any buffer shows them. A commit comes at most one commit interval after
 * they are sent; staying quiet for longer than that means none are in flight.
 */
final class QuietPeriod {

    private final long requiredMillis;
    private int checks;
    private long since = -1;

    private QuietPeriod(long requiredMillis) {
        this.requiredMillis = requiredMillis;
    }

    /** Quiet for two commit intervals and half a second: no result of a closed window is still in flight. */
    static QuietPeriod afterCommits(Duration commitInterval) {
        return new QuietPeriod(2 * commitInterval.toMillis() + 500);
    }

    /** Held for {@code required}. */
    static QuietPeriod lasting(Duration required) {
        return new QuietPeriod(required.toMillis());
    }

    /** Records one check at {@code nowMillis}; true once the run has been quiet long enough. */
    boolean over(boolean quiet, long nowMillis) {
        if (!quiet) {
            checks = 0;
            since = -1;
            return false;
        }
        if (since < 0) {
            since = nowMillis;
        }
        checks++;
        return checks >= 2 && nowMillis - since >= requiredMillis;
    }
}
