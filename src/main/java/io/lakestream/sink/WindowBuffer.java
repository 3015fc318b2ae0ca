package io.lakestream.sink;

import io.lakestream.sink.BufferCodec.Entry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rows of a sink task's open windows, in memory, encoded (coordinates, times and the record in registry wire
 * format, one byte array per window). Past {@code memoryLimit} bytes in all, the largest window's bytes move to a
 * temporary file in the task's state directory: no fsync, since after a crash the windows are rebuilt by replay,
 * not read back from disk. A busy window therefore costs disk, not heap.
 */
final class WindowBuffer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WindowBuffer.class);
    /** topic index, partition, offset, event time, Kafka timestamp, late, event window start, wire length. */
    private static final int ENTRY_HEADER = 2 + 4 + 8 + 8 + 8 + 1 + 8 + 4;

    private final long memoryLimit;
    private final Supplier<Path> spillDir;
    private final TreeMap<Long, Segment> windows = new TreeMap<>();
    private final List<String> topics = new ArrayList<>();
    private final Map<String, Integer> topicIndex = new HashMap<>();
    private long inMemory;
    private long spilled;

    private static final class Segment {
        byte[] bytes = new byte[1024];
        int length;
        int entries;
        Path file;
    }

    /** @param spillDir where spill files go; asked for on the first spill only */
    WindowBuffer(long memoryLimit, Supplier<Path> spillDir) {
        this.memoryLimit = memoryLimit;
        this.spillDir = spillDir;
    }

    void append(Entry e) {
        Segment s = windows.computeIfAbsent(e.flushWindowStart(), w -> new Segment());
        int needed = s.length + ENTRY_HEADER + e.wire().length;
        if (needed > s.bytes.length) {
            s.bytes = Arrays.copyOf(s.bytes, Math.max(needed, s.bytes.length * 2));
        }
        ByteBuffer.wrap(s.bytes, s.length, needed - s.length).putShort((short) topicIndex(e.topic()))
                .putInt(e.partition()).putLong(e.offset()).putLong(e.eventTime()).putLong(e.kafkaTimestamp())
                .put((byte) (e.late() ? 1 : 0)).putLong(e.eventWindowStart()).putInt(e.wire().length).put(e.wire());
        inMemory += needed - s.length;
        s.length = needed;
        s.entries++;
        if (inMemory > memoryLimit) {
            spillLargest();
        }
    }

    /** Records buffered for window {@code start}. */
    int entries(long start) {
        Segment s = windows.get(start);
        return s == null ? 0 : s.entries;
    }

    /** Bytes held in memory, over every window. */
    long inMemory() {
        return inMemory;
    }

    /** Bytes moved to spill files so far. */
    long spilled() {
        return spilled;
    }

    /**
     * Removes window {@code start} and returns its entries, each source offset once, in (topic, partition, offset)
     * order.
     */
    List<Entry> take(long start) {
        Segment s = windows.remove(start);
        if (s == null) {
            return List.of();
        }
        inMemory -= s.length;
        List<Entry> entries = new ArrayList<>(s.entries);
        try {
            if (s.file != null) {
                decode(start, Files.readAllBytes(s.file), entries);
                Files.deleteIfExists(s.file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read spilled window " + start + " from " + s.file, e);
        }
        decode(start, Arrays.copyOf(s.bytes, s.length), entries);
        // One source partition appended in offset order (the usual case) is sorted already.
        if (!sorted(entries)) {
            entries.sort(ORDER);
        }
        List<Entry> distinct = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            Entry previous = distinct.isEmpty() ? null : distinct.get(distinct.size() - 1);
            if (previous == null || previous.offset() != e.offset() || previous.partition() != e.partition()
                    || !previous.topic().equals(e.topic())) {
                distinct.add(e);
            }
        }
        return distinct;
    }

    /** Forgets every window and deletes the spill files. */
    @Override
    public void close() {
        for (Segment s : windows.values()) {
            if (s.file != null) {
                try {
                    Files.deleteIfExists(s.file);
                } catch (IOException e) {
                    LOG.warn("cannot delete spill file {}: {}", s.file, e.toString());
                }
            }
        }
        windows.clear();
        inMemory = 0;
    }

    private static final Comparator<Entry> ORDER = Comparator.comparing(Entry::topic).thenComparingInt(Entry::partition)
            .thenComparingLong(Entry::offset);

    private static boolean sorted(List<Entry> entries) {
        for (int i = 1; i < entries.size(); i++) {
            if (ORDER.compare(entries.get(i - 1), entries.get(i)) > 0) {
                return false;
            }
        }
        return true;
    }

    private void spillLargest() {
        Segment largest = windows.values().stream().max(Comparator.comparingInt(s -> s.length)).orElseThrow();
        long start = windows.entrySet().stream().filter(e -> e.getValue() == largest).findFirst().orElseThrow()
                .getKey();
        try {
            if (largest.file == null) {
                Path dir = spillDir.get();
                Files.createDirectories(dir);
                largest.file = Files.createTempFile(dir, "window-" + start + "-", ".spill");
                largest.file.toFile().deleteOnExit();
            }
            Files.write(largest.file, Arrays.copyOf(largest.bytes, largest.length), StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot spill window " + start + " to " + spillDir.get(), e);
        }
        LOG.debug("spilled {} bytes of window {} to {}", largest.length, start, largest.file);
        inMemory -= largest.length;
        spilled += largest.length;
        largest.length = 0;
        largest.bytes = new byte[1024];
    }

    private int topicIndex(String topic) {
        return topicIndex.computeIfAbsent(topic, t -> {
            topics.add(t);
            return topics.size() - 1;
        });
    }

    private void decode(long start, byte[] bytes, List<Entry> out) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            String topic = topics.get(b.getShort());
            int partition = b.getInt();
            long offset = b.getLong();
            long eventTime = b.getLong();
            long kafkaTimestamp = b.getLong();
            boolean late = b.get() == 1;
            long eventWindowStart = b.getLong();
            byte[] wire = new byte[b.getInt()];
            b.get(wire);
            out.add(new Entry(start, topic, partition, offset, eventTime, kafkaTimestamp, late, eventWindowStart,
                    wire));
        }
    }
}
