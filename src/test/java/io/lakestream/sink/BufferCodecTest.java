package io.lakestream.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.sink.BufferCodec.Chunk;
import io.lakestream.sink.BufferCodec.Entry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

class BufferCodecTest {

    private static Entry entry(long offset, int wireBytes) {
        byte[] wire = new byte[wireBytes];
        wire[0] = (byte) offset;
        return new Entry(1_000L, "raw.claims", 3, offset, 1_500L + offset, 9_000L + offset, offset % 2 == 0,
                1_000L, wire);
    }

    @Test
    void shouldReadBackEveryEntryOfAChunkInOffsetOrder() {
        Chunk chunk = new Chunk(BufferCodec.key(1_000L, "raw.claims", 3, 40));
        List<Entry> written = new ArrayList<>();
        for (long offset = 40; !chunk.full(); offset++) {
            Entry e = entry(offset, 100);
            chunk.append(e);
            written.add(e);
        }

        List<Entry> read = BufferCodec.decode(chunk.key(), chunk.value());

        assertThat(read).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(written);
        assertThat(read).hasSize(BufferCodec.CHUNK_MAX_ENTRIES);
    }

    @Test
    void shouldEndAChunkOfLargeRecordsAtItsByteBound() {
        Chunk chunk = new Chunk(BufferCodec.key(1_000L, "raw.claims", 3, 0));
        int entries = 0;
        while (!chunk.full()) {
            chunk.append(entry(entries++, 5_000));
        }
        assertThat(entries).isEqualTo(4);
        assertThat(chunk.value().length).isGreaterThanOrEqualTo(BufferCodec.CHUNK_MAX_BYTES);
    }

    @Test
    void shouldGiveACopyThatLaterAppendsDoNotChange() {
        Chunk chunk = new Chunk(BufferCodec.key(1_000L, "raw.claims", 3, 7));
        chunk.append(entry(7, 10));
        byte[] first = chunk.value();
        chunk.append(entry(8, 10));
        assertThat(BufferCodec.decode(chunk.key(), first)).extracting(Entry::offset).containsExactly(7L);
    }

    @Test
    void shouldStillReadARecordBufferedOnePerKeyBeforeChunks() {
        Entry old = entry(12, 30);
        Bytes key = BufferCodec.key(old.flushWindowStart(), old.topic(), old.partition(), old.offset());
        // the layout before chunks: event time, Kafka timestamp, late flag, event window start, wire bytes
        byte[] legacy = ByteBuffer.allocate(8 + 8 + 1 + 8 + old.wire().length).putLong(old.eventTime())
                .putLong(old.kafkaTimestamp()).put((byte) (old.late() ? 1 : 0)).putLong(old.eventWindowStart())
                .put(old.wire()).array();
        assertThat(BufferCodec.decode(key, legacy))
                .usingRecursiveFieldByFieldElementComparator().containsExactly(old);
    }

    @Test
    void shouldSortChunkKeysByWindowThenSourcePartitionThenFirstOffset() {
        assertThat(List.of(BufferCodec.key(2, "a", 0, 0), BufferCodec.key(1, "b", 0, 0), BufferCodec.key(1, "a", 1, 5),
                BufferCodec.key(1, "a", 1, 3), BufferCodec.key(1, "a.b", 0, 0)).stream().sorted().toList())
                .containsExactly(BufferCodec.key(1, "a", 1, 3), BufferCodec.key(1, "a", 1, 5),
                        BufferCodec.key(1, "a.b", 0, 0), BufferCodec.key(1, "b", 0, 0), BufferCodec.key(2, "a", 0, 0));
    }
}
