package io.lakestream.window;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * An input log in memory: the records a test piped, and the offset the consumer group "committed" for every
 * partition (where a new owner resumes). Replays hand over exactly what a consumer of the log would read.
 */
public final class InMemoryInputReplay implements InputReplay {

    private final List<ConsumerRecord<byte[], byte[]>> log = new ArrayList<>();
    private final long committed;
    private long logStart;
    private long replayed;

    /** @param committed the committed offset of every partition: a replay reads below it */
    public InMemoryInputReplay(long committed) {
        this.committed = committed;
    }

    /** Appends a record, as the input topic holds it. */
    public void append(ConsumerRecord<byte[], byte[]> record) {
        log.add(record);
    }

    /** Plays retention: records below {@code offset} are deleted. */
    public void deleteBefore(long offset) {
        logStart = offset;
    }

    /** Records handed over by every replay so far. */
    public long replayed() {
        return replayed;
    }

    @Override
    public Map<TopicPartition, Replayed> replay(Map<TopicPartition, Long> from, Handler handler) {
        Map<TopicPartition, Replayed> result = new LinkedHashMap<>();
        from.forEach((tp, start) -> {
            long first = Math.max(start, logStart);
            long count = 0;
            for (ConsumerRecord<byte[], byte[]> r : log) {
                if (r.topic().equals(tp.topic()) && r.partition() == tp.partition() && r.offset() >= first
                        && r.offset() < committed) {
                    handler.accept(r);
                    count++;
                }
            }
            replayed += count;
            result.put(tp, new Replayed(start, first, Math.max(committed, start), count));
        });
        return result;
    }
}
