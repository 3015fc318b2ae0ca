package io.lakestream.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.catalog.InMemoryCatalog;
import io.lakestream.config.FileFormat;
import io.lakestream.record.NormalizeOutcome.Normalized;
import io.lakestream.sink.format.FormatWriter;
import io.lakestream.window.DrainSignal;
import io.lakestream.window.InputReplay;
import io.lakestream.window.UpstreamMark;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The processor on its own (MockProcessorContext): what its wall-clock punctuation does besides flushing. */
class WindowSinkProcessorTest {

    private static final long T0 = 1_714_521_600_000L;
    private static final Duration IDLE = Duration.ofSeconds(60);

    private final InMemoryObjectStore objects = new InMemoryObjectStore();
    private final DrainSignal drain = new DrainSignal();
    private final java.util.concurrent.atomic.AtomicInteger decoded = new java.util.concurrent.atomic.AtomicInteger();
    private MockProcessorContext<String, String> context;
    private WindowSinkProcessor processor;

    @BeforeEach
    void start() {
        start(DrainSignal.Stage.INPUT);
    }

    private void start(DrainSignal.Stage stage) {
        start(stage, Duration.ofSeconds(30), 0);
    }

    private void start(DrainSignal.Stage stage, Duration grace, int upstreamTasks) {
        List<String> partitionBy = List.of("dt", "hour");
        SinkSpec spec = new SinkSpec(TestConfigs.PIPELINE, TestConfigs.TABLE, "buffer", "sink", 1L << 20,
                new SinkSpec.Window(Duration.ofSeconds(100), grace, IDLE),
                new SinkSpec.Target(TestConfigs.DATABASE, TestConfigs.PREFIX, partitionBy, FileFormat.PARQUET, "snappy",
                        TableLayout.hive(TestConfigs.PREFIX, TestConfigs.TABLE, partitionBy)),
                new SinkSpec.Inputs("claims.normalized", List.of(TestConfigs.RAW_TOPIC), stage, upstreamTasks));
        WireFormatRegistry registry = new WireFormatRegistry();
        SinkMetrics metrics = new SinkMetrics(new SimpleMeterRegistry(), spec.pipeline(), spec.table());
        context = ProcessorFixture.context(T0, "buffer");
        processor = new WindowSinkProcessor(spec, registry.serializer(), metrics,
                () -> new WindowFlusher(spec, objects, (topic, wire) -> {
                    decoded.incrementAndGet();
                    return registry.deserializer().deserialize(topic, wire);
                }, FormatWriter.of(FileFormat.PARQUET,
                        "snappy"), new CatalogUpdater(new InMemoryCatalog(), spec, objects::uri), metrics),
                drain, InputReplay.UNAVAILABLE, r -> null);
        processor.init(context);
    }

    private void claim(long offset) {
        processor.process(new Record<>("a", ProcessorFixture.claim(TestConfigs.RAW_TOPIC, "a", offset, T0), T0));
    }

    @Test
    void shouldLookForIdlenessAndDrainsAtLeastFourTimesASecond() {
        assertThat(ProcessorFixture.punctuationInterval(context)).isLessThanOrEqualTo(Duration.ofMillis(250));
    }

    @Test
    void shouldAskForACommitWhenAnIdleCloseLandsObjects() {
        claim(0);
        claim(1);
        ProcessorFixture.punctuate(context, T0 + 1_000);
        assertThat(objects.list(TestConfigs.PREFIX)).isEmpty();
        assertThat(context.committed()).isFalse();

        ProcessorFixture.punctuate(context, T0 + IDLE.toMillis() + 1);
        assertThat(objects.list(TestConfigs.PREFIX)).hasSize(1);
        assertThat(context.forwarded()).as("one landing event").hasSize(1);
        assertThat(context.committed()).as("a flush with no input behind it is committed at once").isTrue();
    }

    @Test
    void shouldLandParquetFromTheBufferedBytesDecodingOneRecordPerSchemaVersion() {
        for (long offset = 0; offset < 5; offset++) {
            claim(offset);
        }
        ProcessorFixture.punctuate(context, T0 + IDLE.toMillis() + 1);
        claim(5);
        claim(6);
        ProcessorFixture.punctuate(context, T0 + 2 * IDLE.toMillis() + 2);

        assertThat(LakeReader.rows(objects, TestConfigs.PREFIX, FileFormat.PARQUET))
                .extracting(r -> r.get(LineageColumns.SOURCE_OFFSET))
                .containsExactly("0", "1", "2", "3", "4", "5", "6");
        assertThat(decoded).as("the schema version's first record only, to learn its schema").hasValue(1);
    }

    @Test
    void shouldAskForACommitWhenADrainLandsObjects() {
        claim(0);
        drain.request(DrainSignal.Stage.INPUT);
        ProcessorFixture.punctuate(context, T0 + 1);
        assertThat(objects.list(TestConfigs.PREFIX)).hasSize(1);
        assertThat(context.committed()).isTrue();
    }

    @Test
    void shouldWaitForTheResultsStageWhenItLandsResultsOfAnotherProcessor() {
        start(DrainSignal.Stage.RESULTS);
        claim(0);
        drain.request(DrainSignal.Stage.INPUT);
        ProcessorFixture.punctuate(context, T0 + 1);
        assertThat(objects.list(TestConfigs.PREFIX)).as("the aggregations close first").isEmpty();

        drain.request(DrainSignal.Stage.RESULTS);
        ProcessorFixture.punctuate(context, T0 + 2);
        assertThat(objects.list(TestConfigs.PREFIX)).hasSize(1);
    }

    /** An aggregation result of window {@code start}, from aggregation task {@code task} at its mark. */
    private void result(long offset, long start, int task, long completeBelow) {
        Normalized n = ProcessorFixture.claim("claims.by_account", "a", offset, start);
        processor.process(new Record<Object, Normalized>("a", n, T0, new UpstreamMark(task, completeBelow)
                .headers()));
    }

    private void mark(long offset, int task, long completeBelow) {
        processor.process(new Record<Object, Normalized>(null, new Normalized(null, null, Long.MIN_VALUE,
                "claims.by_account", 0, offset, T0), T0, new UpstreamMark(task, completeBelow).headers()));
    }

    @Test
    void shouldLandAResultsWindowAsSoonAsEveryAggregationTaskHasClosedPastIt() {
        start(DrainSignal.Stage.RESULTS, Duration.ZERO, 2);
        result(0, T0, 0, T0 + 100_000);
        assertThat(objects.list(TestConfigs.PREFIX)).as("task 1 has not closed the window yet").isEmpty();

        mark(1, 1, T0 + 99_999);
        assertThat(objects.list(TestConfigs.PREFIX)).isEmpty();
        mark(2, 1, T0 + 100_000);
        assertThat(objects.list(TestConfigs.PREFIX)).as("no grace, no later result needed").hasSize(1);
        assertThat(context.forwarded()).as("a mark lands nothing of its own").hasSize(1);
    }

    @Test
    void shouldNotAskForACommitWhenADrainFindsNothingBuffered() {
        drain.request(DrainSignal.Stage.INPUT);
        ProcessorFixture.punctuate(context, T0 + 1);
        assertThat(context.committed()).isFalse();
    }
}
