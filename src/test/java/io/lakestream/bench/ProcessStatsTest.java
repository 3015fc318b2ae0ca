package io.lakestream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessStatsTest {

    @Test
    void shouldSeeAHeapPeakAtLeastAsLargeAsWhatWasHeld() throws InterruptedException {
        try (ProcessStats stats = new ProcessStats()) {
            byte[] held = new byte[64 * 1024 * 1024];
            held[held.length - 1] = 1;
            Thread.sleep(100);
            ProcessStats.Snapshot s = stats.snapshot();
            assertThat(held[held.length - 1]).isEqualTo((byte) 1);
            assertThat(s.heapPeakBytes()).isGreaterThanOrEqualTo(64L * 1024 * 1024);
            assertThat(s.rssPeakBytes()).isGreaterThan(64L * 1024 * 1024);
            assertThat(s.gcMillis()).isNotNegative();
        }
    }
}
