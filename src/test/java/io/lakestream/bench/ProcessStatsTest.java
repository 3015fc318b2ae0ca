package io.lakestream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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

    @Test
    void shouldCountCpuTimeSpentWorkingInThisProcessAndReadItForAnother() {
        long pid = ProcessHandle.current().pid();
        long before = ProcessStats.cpuMillisOf(pid);
        try (ProcessStats stats = new ProcessStats()) {
            // Spin until this thread has used 300 ms of CPU (not 300 ms of wall time: on a loaded machine the
            // thread may get a fraction of a core), bounded by a minute of wall time.
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpuStart = threads.getCurrentThreadCpuTime();
            long deadline = System.nanoTime() + 60_000_000_000L;
            long spin = 0;
            while (threads.getCurrentThreadCpuTime() - cpuStart < 300_000_000L && System.nanoTime() < deadline) {
                for (int i = 0; i < 10_000; i++) {
                    spin += Long.numberOfTrailingZeros(spin + System.nanoTime());
                }
            }
            assertThat(spin).isNotNegative();
            assertThat(stats.snapshot().cpuMillis()).isBetween(200L, 5_000L);
        }
        // /proc counts in 10 ms ticks
        assertThat(ProcessStats.cpuMillisOf(pid) - before).isGreaterThanOrEqualTo(200L);
        assertThat(ProcessStats.cpuMillisOf(Long.MAX_VALUE)).isEqualTo(-1);
    }

    @Test
    void shouldCountTheJitCompilerThreadsOfThisProcessApart() {
        // A test JVM has compiled a great deal by the time it runs this (JUnit, AssertJ): more than one 10 ms tick.
        long jit = ProcessStats.jitMillisOf("self");
        assertThat(jit).isPositive().isLessThanOrEqualTo(ProcessStats.cpuMillisOf(ProcessHandle.current().pid()));
        assertThat(ProcessStats.jitMillisOf(Long.toString(Long.MAX_VALUE))).isEqualTo(-1);
    }

    @Test
    void shouldReadUserAndSystemTimeAfterACommandNameHoldingSpacesAndParentheses() {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
        String stat = "42 (C2 CompilerThre (x)) S 1 1 1 0 -1 0 0 0 0 0 150 25 0 0 20 0 1 0";
        assertThat(ProcessStats.cpuMillis(stat)).isEqualTo(1_750L);
    }
}
