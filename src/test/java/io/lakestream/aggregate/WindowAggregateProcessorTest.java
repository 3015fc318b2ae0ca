package io.lakestream.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.AggregationConfig;
import io.lakestream.config.AggregationConfig.MeasureConfig;
import io.lakestream.config.AggregationConfig.MeasureFn;
import io.lakestream.config.AggregationConfig.WindowConfig;
import io.lakestream.config.FileFormat;
import io.lakestream.window.DrainSignal;
import io.lakestream.sink.ProcessorFixture;
import io.lakestream.sink.SinkHarness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
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
                new Accumulators(SinkHarness.SCHEMA, a), new SimpleMeterRegistry().counter("late"), drain,
                List.of("raw-0"), false);
        processor.init(context);
    }

    private void claim(String account, long offset) {
        processor.process(new Record<>(account, ProcessorFixture.claim("raw", account, offset, T0), T0));
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
        assertThat(context.forwarded()).isEmpty();
        assertThat(context.committed()).isFalse();

        ProcessorFixture.punctuate(context, T0 + IDLE.toMillis() + 1);
        assertThat(context.forwarded()).hasSize(2);
        assertThat(context.committed()).as("results with no input behind them are committed at once").isTrue();
    }

    @Test
    void shouldAskForACommitWhenADrainEmitsResults() {
        claim("a", 0);
        drain.request(DrainSignal.Stage.INPUT);
        ProcessorFixture.punctuate(context, T0 + 1);
        assertThat(context.forwarded()).hasSize(1);
        assertThat(context.committed()).isTrue();
    }

    @Test
    void shouldNotAskForACommitWhenADrainFindsNothingOpen() {
        drain.request(DrainSignal.Stage.INPUT);
        ProcessorFixture.punctuate(context, T0 + 1);
        assertThat(context.forwarded()).isEmpty();
        assertThat(context.committed()).isFalse();
    }
}
