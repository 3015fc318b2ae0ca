package io.lakestream.window;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Re-reads what a task has already consumed: the port through which a sink task rebuilds its open windows after a
 * restart, a rebalance or fencing. Open windows live in memory only; the input topic is their buffer, and the
 * task's store names, per open window and input partition, the offset its first record came from.
 *
 * <p>The production adapter ({@link KafkaInputReplay}) is a consumer of its own, assigned to the partitions asked
 * for, reading committed records only. Unit tests use an in-memory log.
 */
public interface InputReplay {

    /** Receives each replayed record, in offset order per partition. */
    interface Handler {
        void accept(ConsumerRecord<byte[], byte[]> record);
    }

    /**
     * What one partition's replay read.
     *
     * @param requestedFrom the first offset asked for
     * @param firstAvailable the first offset the partition still held at or after {@code requestedFrom} (larger
     *                       when retention deleted records a replay needed)
     * @param to             the committed offset the task resumes from: the replay read below it
     * @param records        records handed over
     */
    record Replayed(long requestedFrom, long firstAvailable, long to, long records) {

        /** Records the window needed that the partition no longer holds. */
        public long missing() {
            return Math.max(0, Math.min(firstAvailable, to) - requestedFrom);
        }
    }

    /**
     * Hands every record of each partition from its offset in {@code from} up to (excluding) the offset the
     * application's consumer group resumes that partition from. Records at or past that offset are processed
     * again by the task itself, so they are not replayed.
     *
     * @return what was read, per partition
     */
    Map<TopicPartition, Replayed> replay(Map<TopicPartition, Long> from, Handler handler);

    /** An adapter for topologies that must never need a replay; asked for one, it fails loudly. */
    InputReplay UNAVAILABLE = (from, handler) -> {
        throw new IllegalStateException("open windows of " + from.keySet() + " need a replay of their input, "
                + "and this topology was built without an input replay");
    };
}
