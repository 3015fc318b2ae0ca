package io.lakestream.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.AggregationConfig;
import io.lakestream.config.AggregationConfig.MeasureConfig;
import io.lakestream.config.AggregationConfig.MeasureFn;
import io.lakestream.config.AggregationConfig.WindowConfig;
import io.lakestream.config.FileFormat;
import io.lakestream.window.DrainSignal;
import io.lakestream.window.LateRecords;
import io.lakestream.window.UpstreamMark;
import io.lakestream.sink.ProcessorFixture;
import io.lakestream.sink.SinkHarness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The processor on its own (MockProcessorContext): what its wall-clock punctuation does besides closing windows. */
class WindowAggregateProcessorTest {

    private static final long T0 = AggregateStageTest.T0;
    private static final Duration IDLE = Duration.ofSeconds(60);

    private final DrainSignal drain = new DrainSignal();
    private MockProcessorContext<String, GenericRecord> context;
    private WindowAggregateProcessor processor;

    @BeforeEach
    void start() {
        AggregationConfig a = new AggregationConfig("by_account", List.of("account_id"),
                new WindowConfig(Duration.ofSeconds(100), Duration.ofSeconds(100), Duration.ofSeconds(30), IDLE),
                List.of(new MeasureConfig("claim_count", MeasureFn.COUNT, null)), "claims.by_account", "by_account",
                FileFormat.PARQUET);
        context = ProcessorFixture.context(T0, "acc");
        processor = new WindowAggregateProcessor("claims", "by_account", "acc", a.window(),
                new Accumulators(SinkHarness.SCHEMA, a), new LateRecords("test", new SimpleMeterRegistry()
                        .counter("late")), drain, List.of("raw-0"), false, Duration.ofSeconds(15));
        processor.init(context);
    }

    private void claim(String account, long offset) {
        claim(account, offset, T0);
    }

    private void claim(String account, long offset, long eventTime) {
        processor.process(new Record<>(account, ProcessorFixture.claim("raw", account, offset, eventTime), T0));
    }

    private List<CapturedForward<? extends String, ? extends GenericRecord>> results() {
        return context.forwarded().stream().filter(f -> f.record().value() != null).toList();
    }

    private List<UpstreamMark> marks() {
        return context.forwarded().stream().filter(f -> f.record().value() == null)
                .map(f -> UpstreamMark.read(f.record().headers())).toList();
    }

    @Test
    void shouldLookForIdlenessAndDrainsAtLeastFourTimesASecond() {
        assertThat(ProcessorFixture.punctuationInterval(context)).isLessThanOrEqualTo(Duration.ofMillis(250));
    }

    @Test
    void shouldAskForACommitWhenAnIdleCloseEmitsResults() {
        claim("a", 0);
        claim("b", 1);
        ProcessorFixture.punctuate(context, T0 + 1_000);
        assertThat(results()).isEmpty();
        assertThat(context.committed()).isFalse();

        ProcessorFixture.punctuate(context, T0 + IDLE.toMillis() + 1);
        assertThat(results()).hasSize(2);
        assertThat(context.committed()).as("results with no input behind them are committed at once").isTrue();
    }

    @Test
    void shouldAskForACommitWhenADrainEmitsResults() {
        claim("a", 0);
        drain.request(DrainSignal.Stage.INPUT);
        ProcessorFixture.punctuate(context, T0 + 1);
        assertThat(results()).hasSize(1);
        assertThat(context.committed()).isTrue();
    }

    @Test
    void shouldNotAskForACommitWhenADrainFindsNothingOpen() {
        drain.request(DrainSignal.Stage.INPUT);
        ProcessorFixture.punctuate(context, T0 + 1);
        assertThat(results()).isEmpty();
        assertThat(context.committed()).isFalse();
    }

    @Test
    void shouldMarkEveryResultAndSendTheMarkAloneWhenAWindowCloses() {
        claim("a", 0, T0 + 1_000);
        claim("b", 1, T0 + 130_000); // watermark - grace = T0 + 100 s: the first window closes

        assertThat(results()).singleElement().satisfies(f -> assertThat(UpstreamMark.read(f.record().headers()))
                .as("the mark before this close").isEqualTo(new UpstreamMark(0, T0 - 100_000)));
        var forwarded = context.forwarded();
        assertThat(forwarded.get(forwarded.size() - 1).record()).as("then the mark alone, for the partitions "
                + "that got no result").satisfies(r -> {
                    assertThat(r.key()).isNull();
                    assertThat(r.value()).isNull();
                    assertThat(UpstreamMark.read(r.headers())).isEqualTo(new UpstreamMark(0, T0 + 100_000));
                });
    }

    @Test
    void shouldNotLetTheFirstResultOfAMultiWindowCloseClaimTheWindowsAfterIt() {
        claim("a", 0, T0 + 1_000);
        claim("a", 1, T0 + 101_000);
        drain.request(DrainSignal.Stage.INPUT);
        ProcessorFixture.punctuate(context, T0 + 1);

        assertThat(results()).hasSize(2).allSatisfy(f -> assertThat(UpstreamMark.read(f.record().headers())
                .completeBelow()).as("no result claims its own window complete").isLessThanOrEqualTo(T0));
        assertThat(marks()).last().isEqualTo(new UpstreamMark(0, T0 + 200_000));
    }

    @Test
    void shouldSendTheMarkOnlyWhenTheFirstOpenWindowMoves() {
        claim("a", 0, T0 + 130_000);
        claim("a", 1, T0 + 131_000);
        claim("a", 2, T0 + 199_000);
        assertThat(marks()).as("the closed-up-to mark moved three times inside one window").hasSize(1);
    }

    @Test
    void shouldKeepSendingItsMarkWhileItHasInputAndFallSilentWhenIdle() {
        ProcessorFixture.punctuate(context, T0 + 100);
        assertThat(marks()).as("at start: the aggregates sinks hear of this task at once")
                .containsExactly(new UpstreamMark(0, Long.MIN_VALUE));
        ProcessorFixture.punctuate(context, T0 + 10_000);
        assertThat(marks()).as("not before the keep-alive interval").hasSize(1);
        ProcessorFixture.punctuate(context, T0 + 15_100);
        assertThat(marks()).hasSize(2);

        context.resetForwards();
        ProcessorFixture.punctuate(context, T0 + IDLE.toMillis() + 1);
        ProcessorFixture.punctuate(context, T0 + IDLE.toMillis() + 20_000);
        assertThat(marks()).as("an idle task stops holding the sinks back").isEmpty();
    }
}
