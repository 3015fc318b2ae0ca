package io.lakestream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LastChangeTest {

    @Test
    void shouldKeepTheTimeTheCountWasFirstSeenAtItsNewestValue() throws Exception {
        AtomicLong count = new AtomicLong();
        // a period far beyond the test: only the explicit reads sample
        try (LastChange change = new LastChange(count::get, 3_600_000)) {
            long unchanged = change.changedAtNanos();
            assertThat(change.changedAtNanos()).isEqualTo(unchanged);

            count.incrementAndGet();
            long beforeRead = System.nanoTime();
            long changed = change.changedAtNanos();
            assertThat(changed).isGreaterThanOrEqualTo(beforeRead);

            Thread.sleep(5);
            assertThat(change.changedAtNanos()).isEqualTo(changed);
        }
    }

    @Test
    void shouldSeeAChangeWithoutBeingAsked() throws Exception {
        AtomicLong count = new AtomicLong();
        try (LastChange change = new LastChange(count::get, 5)) {
            long start = change.changedAtNanos();
            Thread.sleep(20);
            long beforeChange = System.nanoTime();
            count.incrementAndGet();
            Thread.sleep(200);
            long afterSampling = System.nanoTime();
            long changed = change.changedAtNanos();
            assertThat(changed).isGreaterThan(start).isBetween(beforeChange, afterSampling);
        }
    }
}
