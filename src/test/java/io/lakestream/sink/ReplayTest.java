package io.lakestream.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.catalog.InMemoryCatalog;
import io.lakestream.config.FileFormat;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.port.Ports;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Restart = replay: a task that dies is followed by one that restores the committed offsets-only state, rebuilds
 * its open windows by re-reading the input from their first offsets up to the committed offset, and resumes there.
 * The rule under test: the lake it leaves is the lake of an uninterrupted run — the same object keys with the same
 * rows — whether the lost windows held late records, were closed by idleness, or were closed and written but not
 * committed.
 */
class ReplayTest {

    static final long T0 = RecordsSinkStageTest.T0;
    static final String STORE = RecordsSinkStage.storeName(TestConfigs.PIPELINE);
    static final FileFormat FORMAT = FileFormat.PARQUET;

    private final LakestreamConfig cfg = TestConfigs.config(FORMAT, List.of());
    private final List<SinkHarness> harnesses = new ArrayList<>();

    @AfterEach
    void closeDrivers() {
        harnesses.forEach(SinkHarness::close);
    }

    /** One lake: its store and the ports writing to it. */
    private static final class Lake {
        final InMemoryObjectStore store = new InMemoryObjectStore();
        final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        final Ports ports = new Ports(new WireFormatRegistry(), store, new InMemoryCatalog(), metrics);

        /** Object key → source offsets of its rows. */
        Map<String, List<Long>> objects() {
            Map<String, List<Long>> objects = new TreeMap<>();
            for (String key : store.list(RecordsSinkStageTest.TABLE_PREFIX)) {
                objects.put(key, LakeReader.read(store.read(key), FORMAT).stream()
                        .map(r -> Long.parseLong(r.get(LineageColumns.SOURCE_OFFSET))).toList());
            }
            return objects;
        }

        double counter(String name) {
            return metrics.find(name).counter() == null ? 0 : metrics.find(name).counter().count();
        }
    }

    /** A step of a run: a record to pipe, or wall-clock time to let pass. */
    private record Step(String value, long idleMillis) {
        static Step record(String value) {
            return new Step(value, 0);
        }

        static Step idle() {
            return new Step(null, TestConfigs.IDLE.toMillis());
        }
    }

    private SinkHarness instance(Lake lake, long resumeFrom) {
        SinkHarness h = SinkHarness.recordsSink(cfg, lake.ports, resumeFrom);
        harnesses.add(h);
        return h;
    }

    /** Runs the steps; returns the store as committed after the first {@code committed} records (null: never). */
    private List<KeyValue<Bytes, byte[]>> run(SinkHarness h, List<Step> steps, int committed, int diesAt) {
        List<KeyValue<Bytes, byte[]>> snapshot = committed == 0 ? h.snapshot(STORE) : null;
        int piped = 0;
        for (Step step : steps) {
            if (piped == diesAt) {
                break;
            }
            if (step.value() == null) {
                h.driver.advanceWallClockTime(java.time.Duration.ofMillis(step.idleMillis()));
            } else {
                h.pipe(step.value(), T0 + piped);
                piped++;
            }
            if (piped == committed && snapshot == null) {
                snapshot = h.snapshot(STORE);
            }
        }
        return snapshot;
    }

    /** The lake of an uninterrupted run of {@code steps}, then an idle close of whatever is open. */
    private Map<String, List<Long>> uninterrupted(List<Step> steps) {
        Lake lake = new Lake();
        SinkHarness h = instance(lake, 0);
        run(h, steps, -1, Integer.MAX_VALUE);
        h.driver.advanceWallClockTime(TestConfigs.IDLE);
        Map<String, List<Long>> objects = lake.objects();
        // A reference missing or repeating an offset would make the comparison below prove nothing.
        long records = steps.stream().filter(s -> s.value() != null).count();
        assertThat(objects.values().stream().flatMap(List::stream).sorted().toList())
                .as("the uninterrupted run holds every input offset exactly once")
                .isEqualTo(java.util.stream.LongStream.range(0, records).boxed().toList());
        return objects;
    }

    /**
     * The lake of a run whose instance commits after {@code committed} records, goes on until {@code diesAt} (writing
     * what closes, committing nothing), dies; a new owner restores the commit, replays and finishes.
     */
    private Lake crashed(List<Step> steps, int committed, int diesAt) {
        Lake lake = new Lake();
        SinkHarness first = instance(lake, 0);
        List<KeyValue<Bytes, byte[]>> state = run(first, steps, committed, diesAt);
        first.close();
        harnesses.remove(first);
        SinkHarness owner = instance(lake, committed);
        owner.restore(STORE, state);
        // The owner's consumer resumes at the committed offset: it sees every step after the commit again.
        int piped = 0;
        for (Step step : steps) {
            if (step.value() == null) {
                if (piped >= committed) {
                    owner.driver.advanceWallClockTime(java.time.Duration.ofMillis(step.idleMillis()));
                }
            } else {
                owner.pipe(step.value(), T0 + piped);
                piped++;
            }
        }
        owner.driver.advanceWallClockTime(TestConfigs.IDLE);
        return lake;
    }

    private static String claim(int i, long eventTime) {
        return SinkHarness.claim("acc" + (i % 7), "c" + i, i + ".00", eventTime);
    }

    /** Mostly in order with jitter, over several windows; every 25th record late by minutes. */
    private static List<Step> shuffledInput(long seed, int n) {
        Random random = new Random(seed);
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long eventTime = T0 + i * 2_000L + random.nextInt(20_000) - 10_000;
            if (i % 25 == 24) {
                eventTime -= 200_000 + random.nextInt(100_000);
            }
            steps.add(Step.record(claim(i, eventTime)));
        }
        return steps;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void shouldLeaveTheLakeOfAnUninterruptedRunWhateverTheCommitAndCrashPoints(long seed) {
        List<Step> steps = shuffledInput(seed, 300);
        Map<String, List<Long>> expected = uninterrupted(steps);
        Random random = new Random(seed * 31);
        int committed = 20 + random.nextInt(200);
        int diesAt = committed + random.nextInt(60);

        Lake lake = crashed(steps, committed, diesAt);

        assertThat(expected.keySet()).anyMatch(k -> k.endsWith("-late.parquet"));
        assertThat(lake.objects()).isEqualTo(expected);
        assertThat(lake.counter("lakestream.replayed.records")).isPositive();
    }

    @Test
    void shouldPutALateRecordBackIntoTheWindowItWentTo() {
        List<Step> steps = new ArrayList<>();
        steps.add(Step.record(claim(0, T0 + 1_000)));
        steps.add(Step.record(claim(1, T0 + 140_000))); // closes [T0, T0+100s): offset 0 lands
        steps.add(Step.record(claim(2, T0 + 5_000)));   // late: buffered in the open window [T0+100s, T0+200s)
        steps.add(Step.record(claim(3, T0 + 150_000)));
        steps.add(Step.record(claim(4, T0 + 400_000))); // closes the second window
        Map<String, List<Long>> expected = uninterrupted(steps);

        Lake lake = crashed(steps, 4, 4);

        assertThat(expected).containsValue(List.of(2L));
        assertThat(lake.objects()).isEqualTo(expected);
        assertThat(lake.counter("lakestream.replayed.records")).isEqualTo(3);
    }

    @Test
    void shouldNotRebuildARecordWhoseWindowLandedAfterItWasRead() {
        List<Step> steps = new ArrayList<>();
        steps.add(Step.record(claim(0, T0 + 110_000))); // opens [T0+100s, T0+200s) first: the replay starts here
        steps.add(Step.record(claim(1, T0 + 50_000)));  // on time in [T0, T0+100s) ...
        steps.add(Step.record(claim(2, T0 + 135_000))); // ... which closes and lands now
        steps.add(Step.record(claim(3, T0 + 400_000)));
        Map<String, List<Long>> expected = uninterrupted(steps);

        Lake lake = crashed(steps, 3, 3);

        assertThat(lake.objects()).isEqualTo(expected);
        // Offset 1 is re-read but not rebuilt: by the closure log it went to the landed window, not (as a late
        // record judged by today's mark would) to the open one.
        assertThat(lake.counter("lakestream.replayed.records")).isEqualTo(2);
    }

    @Test
    void shouldRebuildTheWindowsOpenedAfterAnIdleClosure() {
        List<Step> steps = new ArrayList<>();
        steps.add(Step.record(claim(0, T0 + 1_000)));
        steps.add(Step.record(claim(1, T0 + 2_000)));
        steps.add(Step.idle());                          // idle-closes [T0, T0+100s)
        steps.add(Step.record(claim(2, T0 + 3_000)));   // late to it: goes to [T0+100s, T0+200s)
        steps.add(Step.record(claim(3, T0 + 120_000)));
        steps.add(Step.record(claim(4, T0 + 4_000)));   // late too
        steps.add(Step.record(claim(5, T0 + 500_000)));
        Map<String, List<Long>> expected = uninterrupted(steps);

        Lake lake = crashed(steps, 5, 6);

        assertThat(expected).containsValues(List.of(2L, 4L));
        assertThat(lake.objects()).isEqualTo(expected);
    }

    @Test
    void shouldLandOnTheObjectsAWindowClosedButNotCommittedHadWritten() {
        List<Step> steps = shuffledInput(7, 120);
        Map<String, List<Long>> expected = uninterrupted(steps);

        // Dies 50 records after its commit: windows closed meanwhile were written, their state change lost.
        Lake lake = crashed(steps, 60, 110);

        assertThat(lake.objects()).isEqualTo(expected);
        assertThat(lake.store.refusedCreates()).isZero();
    }

    @Test
    void shouldLandWhatIsLeftAndCountTheLossWhenRetentionDeletedRecordsAReplayNeeded() {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            steps.add(Step.record(claim(i, T0 + i * 1_000L)));
        }
        steps.add(Step.record(claim(10, T0 + 300_000)));
        Lake lake = new Lake();
        SinkHarness first = instance(lake, 0);
        List<KeyValue<Bytes, byte[]>> state = run(first, steps, 10, 10);
        SinkHarness owner = instance(lake, 10);
        owner.restore(STORE, state);
        owner.input.deleteBefore(4);
        for (int i = 0; i < steps.size(); i++) {
            owner.pipe(steps.get(i).value(), T0 + i);
        }

        assertThat(lake.objects().values()).containsExactly(List.of(4L, 5L, 6L, 7L, 8L, 9L));
        assertThat(lake.counter("lakestream.replay.missing.records")).isEqualTo(4);
    }
}
