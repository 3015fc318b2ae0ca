package io.lakestream.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.catalog.InMemoryCatalog;
import io.lakestream.config.FileFormat;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.port.ObjectStore;
import io.lakestream.port.Ports;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hazards of landing outside the Kafka transaction, played with drivers that share one object store and one
 * registry, as instances share S3 and the registry. A driver's store state plays the committed state: Kafka Streams
 * restores a store from its changelog up to the last commit, and the consumer resumes at the committed offset
 * ({@code resumeFrom}), so the next owner replays exactly the records after it.
 */
class ExactlyOnceLandingTest {

    static final long T0 = RecordsSinkStageTest.T0;
    static final String STORE = RecordsSinkStage.storeName(TestConfigs.PIPELINE);
    static final FileFormat FORMAT = FileFormat.PARQUET;

    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private final Ports ports = new Ports(new WireFormatRegistry(), store, new InMemoryCatalog(),
            new SimpleMeterRegistry());
    private final LakestreamConfig cfg = TestConfigs.config(FORMAT, List.of());
    private final List<SinkHarness> harnesses = new ArrayList<>();

    @AfterEach
    void closeDrivers() {
        harnesses.forEach(SinkHarness::close);
    }

    private SinkHarness instance(long resumeFrom) {
        SinkHarness h = SinkHarness.recordsSink(cfg, ports, resumeFrom);
        harnesses.add(h);
        return h;
    }

    /** Offsets 0..9 in the first window, 10 and 11 in the second; offset 11's watermark closes the first. */
    private static List<String> input() {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            values.add(SinkHarness.claim("acc", "c" + i, i + ".00", T0 + i * 1_000L));
        }
        values.add(SinkHarness.claim("acc", "c10", "10.00", T0 + 110_000));
        values.add(SinkHarness.claim("acc", "c11", "11.00", T0 + 190_000));
        return values;
    }

    /** 150 records in the first window (two full buffer chunks and part of a third), then one that closes it. */
    private static List<String> windowOfSeveralChunks() {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            values.add(SinkHarness.claim("acc", "c" + i, i + ".00", T0 + i * 100L));
        }
        values.add(SinkHarness.claim("acc", "c150", "150.00", T0 + 190_000));
        return values;
    }

    /** The store of an instance that processed offsets 0 until {@code toExclusive} and then stopped. */
    private List<KeyValue<Bytes, byte[]>> storeAfter(List<String> input, int toExclusive) {
        return storeCommittedAt(input, toExclusive, toExclusive);
    }

    /**
     * The store as committed by an instance after offsets 0 until {@code committed}; it goes on to process offsets
     * until {@code diedAt} (writing objects, but committing nothing more) and dies.
     */
    private List<KeyValue<Bytes, byte[]>> storeCommittedAt(List<String> input, int committed, int diedAt) {
        SinkHarness h = instance(0);
        pipe(h, input, committed);
        List<KeyValue<Bytes, byte[]>> snapshot = h.snapshot(STORE);
        for (int offset = committed; offset < diedAt; offset++) {
            h.pipe(input.get(offset), T0 + offset);
        }
        stop(h);
        return snapshot;
    }

    private void stop(SinkHarness h) {
        h.close();
        harnesses.remove(h);
    }

    /** A new instance on the {@code committed} store, resuming at {@code resumeFrom}, fed all of {@code input}. */
    private SinkHarness replayAll(List<KeyValue<Bytes, byte[]>> committed, long resumeFrom, List<String> input) {
        SinkHarness replay = instance(resumeFrom);
        replay.restore(STORE, committed);
        pipe(replay, input, input.size());
        replay.driver.advanceWallClockTime(TestConfigs.IDLE);
        return replay;
    }

    /** Feeds offsets 0 until {@code toExclusive}; the Kafka timestamp is T0 + offset. */
    private static void pipe(SinkHarness h, List<String> values, int toExclusive) {
        for (int offset = 0; offset < toExclusive; offset++) {
            h.pipe(values.get(offset), T0 + offset);
        }
    }

    private List<Long> landedOffsets() {
        return LakeReader.rows(store, RecordsSinkStageTest.TABLE_PREFIX, FORMAT).stream()
                .map(r -> Long.parseLong(r.get(LineageColumns.SOURCE_OFFSET))).sorted().toList();
    }

    private static List<Long> offsets(long fromInclusive, long toExclusive) {
        return LongStream.range(fromInclusive, toExclusive).boxed().toList();
    }

    @Test
    void shouldNeitherLoseNorDuplicateOffsetsWhenAnInstanceCrashesAfterWritingBeforeCommitting() {
        List<String> input = input();
        // Offset 11 closes the first window: the object is written, then the instance dies before the commit, so
        // its state changes, offset commit and landing event are aborted with the transaction.
        List<KeyValue<Bytes, byte[]>> committed = storeCommittedAt(input, 11, 12);
        assertThat(store.list(RecordsSinkStageTest.TABLE_PREFIX)).hasSize(1);
        SinkHarness replay = replayAll(committed, 11, input);

        assertThat(landedOffsets()).isEqualTo(offsets(0, 12));
        // The replay re-announces the object it found, since the crashed instance's event was never committed.
        assertThat(replay.landingEvents()).extracting(LandingEvent::firstOffset).containsExactly(0L, 10L);
    }

    @Test
    void shouldRebuildAnOpenWindowByReplayWhenAnInstanceCrashesInTheMiddleOfIt() {
        List<String> input = windowOfSeveralChunks();
        // Dies at 140 before its next commit: the new owner resumes at 100 and re-reads 0..99 into the window.
        List<KeyValue<Bytes, byte[]>> committed = storeCommittedAt(input, 100, 140);
        SinkHarness replay = replayAll(committed, 100, input);

        // Offsets only (watermarks, the closed-up-to mark and its log, the window's first offset): the 100 buffered
        // records (about 10 KB in wire format) are not in the store.
        assertThat(committed).hasSize(5);
        assertThat(committed.stream().mapToInt(kv -> kv.key.get().length + kv.value.length).sum()).isLessThan(200);
        assertThat(replay.input.replayed()).isEqualTo(100);
        assertThat(landedOffsets()).isEqualTo(offsets(0, 151));
        assertThat(store.list(RecordsSinkStageTest.TABLE_PREFIX)).hasSize(2);
    }

    @Test
    void shouldLandEachOffsetOnceWhenAnAtLeastOnceRestartReplaysRecordsTheStoreAlreadyHolds() {
        // Under at-least-once the store's changelog can run ahead of the committed offset: the instance dies with
        // offsets 0..99 buffered but only 0..79 committed, and the replay buffers 80..99 again, in a new chunk.
        List<String> input = windowOfSeveralChunks();
        replayAll(storeAfter(input, 100), 80, input);

        assertThat(landedOffsets()).isEqualTo(offsets(0, 151));
    }

    @Test
    void shouldContinueWhereThePreviousOwnerCommittedAfterARebalance() {
        List<String> input = input();
        replayAll(storeAfter(input, 6), 6, input);

        assertThat(landedOffsets()).isEqualTo(offsets(0, 12));
        assertThat(store.list(RecordsSinkStageTest.TABLE_PREFIX)).hasSize(2);
        assertThat(store.refusedCreates()).isZero();
    }

    @Test
    void shouldWriteOnlyTheRemainderWhenAFencedZombieAlreadyWroteAPrefixOfTheWindow() {
        List<String> input = input();
        // The zombie saw offsets 0..4, then went quiet long enough to idle-close the window and land them;
        // meanwhile it was fenced, so none of that was committed.
        SinkHarness zombie = instance(0);
        pipe(zombie, input, 5);
        zombie.driver.advanceWallClockTime(TestConfigs.IDLE);
        assertThat(landedOffsets()).isEqualTo(offsets(0, 5));

        SinkHarness owner = instance(0);
        pipe(owner, input, 12);
        owner.driver.advanceWallClockTime(TestConfigs.IDLE);

        assertThat(landedOffsets()).isEqualTo(offsets(0, 12));
        String window = RecordsSinkStageTest.TABLE_PREFIX + "dt=2024-03-01/hour=10/" + T0 + "-"
                + TestConfigs.RAW_TOPIC + "-0-";
        assertThat(store.list(window)).containsExactly(window + "0.parquet", window + "5.parquet");
    }

    @Test
    void shouldNotRewriteLateWhatAZombieLandedOnTimeWhenTheOwnerClosedTheWindowEarlier() {
        List<String> input = input();
        SinkHarness zombie = instance(0);
        pipe(zombie, input, 12);
        assertThat(landedOffsets()).isEqualTo(offsets(0, 10));

        // The new owner idle-closes the window after offset 4, so offsets 5..9 are late to it; the zombie's
        // on-time object already holds them.
        SinkHarness owner = instance(0);
        pipe(owner, input, 5);
        owner.driver.advanceWallClockTime(TestConfigs.IDLE);
        for (int offset = 5; offset < 12; offset++) {
            owner.pipe(input.get(offset), T0 + offset);
        }
        owner.driver.advanceWallClockTime(TestConfigs.IDLE);

        assertThat(landedOffsets()).isEqualTo(offsets(0, 12));
        assertThat(store.list(RecordsSinkStageTest.TABLE_PREFIX)).noneMatch(k -> k.endsWith("-late.parquet"));
    }

    @Test
    void shouldContinueAfterTheExistingObjectWhenAZombieWinsTheRaceForTheSameKey() {
        List<String> input = input();
        ObjectStore racing = new ZombieRacingStore(store, 4);
        Ports racingPorts = new Ports(ports.registry(), racing, ports.catalog(), ports.metrics());
        SinkHarness owner = SinkHarness.recordsSink(cfg, racingPorts, 0);
        harnesses.add(owner);
        pipe(owner, input, 12);
        owner.driver.advanceWallClockTime(TestConfigs.IDLE);

        assertThat(landedOffsets()).isEqualTo(offsets(0, 12));
        assertThat(store.refusedCreates()).isEqualTo(1);
        assertThat(owner.landingEvents()).extracting(LandingEvent::firstOffset, LandingEvent::lastOffset)
                .contains(org.assertj.core.groups.Tuple.tuple(0L, 4L), org.assertj.core.groups.Tuple.tuple(5L, 9L));
    }

    /**
     * Plays a zombie that writes the same key between the sink's listing and its create: on the first create, it
     * first lands the rows up to {@code zombieLastOffset} under that key.
     */
    private static final class ZombieRacingStore implements ObjectStore {
        private final InMemoryObjectStore delegate;
        private final long zombieLastOffset;
        private boolean raced;

        ZombieRacingStore(InMemoryObjectStore delegate, long zombieLastOffset) {
            this.delegate = delegate;
            this.zombieLastOffset = zombieLastOffset;
        }

        @Override
        public boolean createIfAbsent(String key, byte[] content, Map<String, String> metadata) {
            if (!raced) {
                raced = true;
                byte[] prefix = prefixOf(content);
                Map<String, String> zombieMetadata = new java.util.HashMap<>(metadata);
                zombieMetadata.put(ObjectMetadata.LAST_OFFSET, Long.toString(zombieLastOffset));
                zombieMetadata.put(ObjectMetadata.RECORD_COUNT, Long.toString(zombieLastOffset + 1));
                delegate.createIfAbsent(key, prefix, zombieMetadata);
            }
            return delegate.createIfAbsent(key, content, metadata);
        }

        private byte[] prefixOf(byte[] content) {
            List<org.apache.avro.generic.GenericRecord> rows = new ArrayList<>();
            try (var reader = org.apache.parquet.avro.AvroParquetReader
                    .<org.apache.avro.generic.GenericRecord>builder(new LakeReader.BytesInputFile(content),
                            new org.apache.parquet.conf.PlainParquetConfiguration()).build()) {
                for (var r = reader.read(); r != null; r = reader.read()) {
                    if ((Long) r.get(LineageColumns.SOURCE_OFFSET) <= zombieLastOffset) {
                        rows.add(r);
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return io.lakestream.sink.format.FormatWriter.of(FORMAT, "snappy").write(rows.get(0).getSchema(), rows);
        }

        @Override
        public java.util.Optional<Map<String, String>> metadata(String key) {
            return delegate.metadata(key);
        }

        @Override
        public byte[] read(String key) {
            return delegate.read(key);
        }

        @Override
        public List<String> list(String prefix) {
            return delegate.list(prefix);
        }

        @Override
        public void delete(String key) {
            delegate.delete(key);
        }

        @Override
        public String uri(String key) {
            return delegate.uri(key);
        }
    }
}
