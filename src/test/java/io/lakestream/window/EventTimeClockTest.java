package io.lakestream.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.sink.ProcessorFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The window rule as a table: each case runs steps against one clock driving 100 ms tumbling windows (grace 30 ms,
 * idle timeout 60 s) and checks which windows closed, which records were late and where the mark stands.
 *
 * <p>Steps: {@code s0@130} a record of source s0 at event time 130 (wall clock unchanged); {@code wall=61000} the
 * punctuation at that wall-clock time; {@code now=60000} the wall clock moved without a punctuation;
 * {@code drain=INPUT} a drain stage requested; {@code restart} the task initialised again over its store.
 */
class EventTimeClockTest {

    private static final long GRACE = 30;
    private static final long SIZE = 100;
    private static final Duration IDLE = Duration.ofSeconds(60);
    private static final long MIN = Long.MIN_VALUE;

    record Case(String rule, DrainSignal.Stage stage, List<String> expected, String steps, List<Long> closed,
                List<Long> late, long closedUpTo) {
        @Override
        public String toString() {
            return rule;
        }
    }

    static Stream<Arguments> rules() {
        DrainSignal.Stage input = DrainSignal.Stage.INPUT;
        DrainSignal.Stage results = DrainSignal.Stage.RESULTS;
        List<String> one = List.of("s0");
        List<String> two = List.of("s0", "s1");
        return Stream.of(
                new Case("a window closes when the watermark passes its end plus grace", input, one,
                        "s0@10 s0@129 s0@130", List.of(100L), List.of(), 100),
                new Case("not a millisecond before", input, one,
                        "s0@10 s0@129", List.of(), List.of(), 99),
                new Case("a record for a closed window is late", input, one,
                        "s0@10 s0@130 s0@99", List.of(100L), List.of(99L), 100),
                new Case("the watermark never moves back", input, one,
                        "s0@250 s0@10 s0@20", List.of(), List.of(10L, 20L), 220),
                new Case("the slowest source holds the watermark", input, two,
                        "s0@500 s1@10 s1@140", List.of(100L), List.of(), 110),
                new Case("an expected source holds it before its first record", input, two,
                        "s0@500", List.of(), List.of(), MIN),
                new Case("unheard sources stop holding it once the application has consumed its whole input", input,
                        two, "s0@50 s0@500 wall=999 wall=1000 consumed=1000 wall=1250", List.of(100L), List.of(), 470),
                new Case("not on a pause alone: an upstream task may not have read its partition yet", input, two,
                        "s0@50 s0@500 wall=1000 wall=30000 s1@60", List.of(), List.of(), 30),
                new Case("nor on a check that began before the task's last record", input, two,
                        "now=500 s0@50 s0@500 wall=1500 consumed=400 wall=5000", List.of(), List.of(), MIN),
                new Case("an unheard source stops holding it after the idle timeout without input", input, two,
                        "s0@50 s0@500 wall=60000 s0@700", List.of(100L, 600L), List.of(), 670),
                new Case("but not before any source was heard", input, two,
                        "wall=5000", List.of(), List.of(), MIN),
                new Case("a source silent for the idle timeout stops holding it", input, two,
                        "s1@10 s0@50 now=60000 s0@500", List.of(100L), List.of(), 470),
                new Case("a task idle for the idle timeout closes every open window", input, one,
                        "s0@10 s0@150 wall=59999 wall=60000", List.of(100L, 200L), List.of(), 200),
                new Case("a drain of its stage closes every open window at once", input, one,
                        "s0@10 drain=INPUT wall=1", List.of(100L), List.of(), 100),
                new Case("a later stage does not close by watermark while an earlier one drains", results, one,
                        "drain=INPUT s0@10 s0@500 wall=1", List.of(), List.of(), MIN),
                new Case("and closes everything when its own stage comes", results, one,
                        "drain=INPUT s0@10 s0@500 drain=RESULTS wall=1", List.of(100L, 600L), List.of(), 600),
                new Case("outside a drain a later stage closes by watermark", results, one,
                        "s0@10 s0@130", List.of(100L), List.of(), 100),
                new Case("a restarted task resumes its watermark and mark from the store", input, one,
                        "s0@10 s0@170 restart s0@60", List.of(100L), List.of(60L), 140),
                new Case("the stored mark is the last one that crossed a window end: the same records are late", input,
                        one, "s0@10 s0@150 s0@160 restart s0@95 s0@105", List.of(100L), List.of(95L), 120),
                new Case("a punctuation stores the mark and watermarks as they are", input, one,
                        "s0@10 s0@150 s0@160 wall=1 restart s0@125", List.of(100L), List.of(), 130))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void shouldFollowTheWindowRule(Case c) {
        MockProcessorContext<Object, Object> context = ProcessorFixture.context(0, "store");
        KeyValueStore<Bytes, byte[]> store = context.getStateStore("store");
        DrainSignal drain = new DrainSignal();
        TumblingWindows windows = new TumblingWindows();
        EventTimeClock clock = new EventTimeClock("test", Duration.ofMillis(GRACE), IDLE, drain, c.stage(),
                windows);
        windows.clock = clock;
        clock.init(context);
        clock.load(store, c.expected());
        for (String step : c.steps().split(" ")) {
            String[] kv = step.split("[@=]");
            switch (kv[0]) {
                case "wall" -> ProcessorFixture.punctuateWith(context, Long.parseLong(kv[1]), clock::punctuate);
                case "now" -> context.setCurrentSystemTimeMs(Long.parseLong(kv[1]));
                case "drain" -> drain.request(DrainSignal.Stage.valueOf(kv[1]));
                case "consumed" -> {
                    assertThat(drain.takeInputCheckRequest()).as("the clock asked for an input check").isTrue();
                    drain.inputConsumed(Long.parseLong(kv[1]));
                }
                case "restart" -> {
                    clock.init(context);
                    clock.load(store, c.expected());
                }
                default -> windows.record(kv[0], Long.parseLong(kv[1]));
            }
        }
        assertThat(windows.closed).as("ends of the windows closed").isEqualTo(c.closed());
        assertThat(windows.late).as("event times of the late records").isEqualTo(c.late());
        assertThat(clock.closedUpTo()).as("closed up to").isEqualTo(c.closedUpTo());
        assertThat(drain.buffering()).as("one tracker per task, also after a restart").isLessThanOrEqualTo(1);
    }

    /** What a processor does: assigns each record to its window unless closed, and closes what the clock says. */
    private static final class TumblingWindows implements EventTimeClock.Windows {
        private EventTimeClock clock;
        private final TreeSet<Long> open = new TreeSet<>();
        private final List<Long> closed = new ArrayList<>();
        private final List<Long> late = new ArrayList<>();

        void record(String source, long eventTime) {
            clock.observe(source, eventTime);
            long end = Math.floorDiv(eventTime, SIZE) * SIZE + SIZE;
            if (clock.isClosed(end)) {
                late.add(eventTime);
            } else {
                open.add(end);
                clock.opened();
            }
            clock.closeDue();
        }

        @Override
        public long newestEnd() {
            return open.isEmpty() ? Long.MIN_VALUE : open.last();
        }

        @Override
        public boolean closeUpTo(long previous, long to) {
            assertThat(clock.closedUpTo()).as("the mark is set before the windows close").isEqualTo(to);
            while (!open.isEmpty() && open.first() <= to) {
                closed.add(open.pollFirst());
            }
            return previous == MIN || Math.floorDiv(previous, SIZE) != Math.floorDiv(to, SIZE);
        }
    }
}
