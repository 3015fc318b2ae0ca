package io.lakestream.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.sink.BufferCodec.Entry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WindowBufferTest {

    @TempDir
    Path dir;

    private static Entry entry(long window, String topic, int partition, long offset, int size) {
        return new Entry(window, topic, partition, offset, window + offset, offset, offset % 2 == 0, window,
                new byte[size]);
    }

    private long spillFiles() throws IOException {
        if (!Files.exists(dir.resolve("spill"))) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir.resolve("spill"))) {
            return files.count();
        }
    }

    @Test
    void shouldKeepEveryEntryInMemoryBelowTheBound() throws IOException {
        WindowBuffer buffer = new WindowBuffer(1 << 20, () -> dir.resolve("spill"));
        for (long offset = 0; offset < 100; offset++) {
            buffer.append(entry(0, "t", 0, offset, 100));
        }

        assertThat(buffer.spilled()).isZero();
        assertThat(spillFiles()).isZero();
        assertThat(buffer.take(0)).extracting(Entry::offset).containsExactlyElementsOf(
                java.util.stream.LongStream.range(0, 100).boxed().toList());
    }

    @Test
    void shouldSpillTheLargestWindowPastTheBoundAndReadItBackWhole() throws IOException {
        WindowBuffer buffer = new WindowBuffer(64 * 1024, () -> dir.resolve("spill"));
        for (long offset = 0; offset < 2_000; offset++) {
            buffer.append(entry(offset % 10 == 0 ? 100 : 0, "t", (int) (offset % 3), offset, 200));
        }

        assertThat(buffer.inMemory()).isLessThanOrEqualTo(64 * 1024);
        assertThat(buffer.spilled()).isGreaterThan(300_000);
        assertThat(spillFiles()).isPositive();
        List<Entry> window = buffer.take(0);
        assertThat(window).hasSize(1_800);
        assertThat(window).isSortedAccordingTo(java.util.Comparator.comparingInt(Entry::partition)
                .thenComparingLong(Entry::offset));
        assertThat(window).allSatisfy(e -> {
            assertThat(e.wire()).hasSize(200);
            assertThat(e.late()).isEqualTo(e.offset() % 2 == 0);
            assertThat(e.eventTime()).isEqualTo(e.offset());
        });
        assertThat(buffer.take(100)).hasSize(200);
        assertThat(spillFiles()).isZero();
    }

    @Test
    void shouldReturnEachSourceOffsetOnce() {
        WindowBuffer buffer = new WindowBuffer(1 << 20, () -> dir.resolve("spill"));
        buffer.append(entry(0, "a", 0, 5, 1));
        buffer.append(entry(0, "b", 0, 5, 1));
        buffer.append(entry(0, "a", 0, 5, 1));
        buffer.append(entry(0, "a", 1, 5, 1));

        assertThat(buffer.take(0)).extracting(Entry::topic, Entry::partition)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", 0), org.assertj.core.groups.Tuple.tuple("a", 1),
                        org.assertj.core.groups.Tuple.tuple("b", 0));
    }

    @Test
    void shouldDeleteSpillFilesOnClose() throws IOException {
        WindowBuffer buffer = new WindowBuffer(1024, () -> dir.resolve("spill"));
        for (long offset = 0; offset < 100; offset++) {
            buffer.append(entry(offset % 2 == 0 ? 0 : 100, "t", 0, offset, 100));
        }
        assertThat(spillFiles()).isPositive();

        buffer.close();

        assertThat(spillFiles()).isZero();
    }
}
