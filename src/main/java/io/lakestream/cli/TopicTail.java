package io.lakestream.cli;

import io.lakestream.runtime.ExitCodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one topic as a {@code read_committed} consumer without a group (nothing is committed, no other reader is
 * disturbed): the last N records or from the beginning, to the end seen at start, or on with {@code follow}.
 */
final class TopicTail {

    /** Offsets a transaction's commit marker takes per partition: reach back further than N to find N records. */
    private static final int MARKER_ALLOWANCE = 2;

    /**
     * @param fromBeginning start at each partition's first record, else at the last {@code max} of the topic
     * @param max           records to print: the last ones, or at most these from the beginning
     * @param follow        keep reading past the end seen at start
     * @param idle          how long to wait for the next record while the end is not reached
     */
    record Options(boolean fromBeginning, long max, boolean follow, Duration idle) {
    }

    private final Map<String, String> client;
    private final String topic;
    private final Options options;

    TopicTail(Map<String, String> client, String topic, Options options) {
        this.client = client;
        this.topic = topic;
        this.options = options;
    }

    /** Prints the records to {@code sink}; returns the command's exit code. */
    int run(Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        Properties p = new Properties();
        client.forEach(p::put);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "lakestream-tail");
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Thread main = Thread.currentThread();
            Thread wakeup = new Thread(() -> {
                consumer.wakeup();
                try {
                    main.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "lakestream-tail-stop");
            Runtime.getRuntime().addShutdownHook(wakeup);
            try {
                return read(consumer, sink);
            } catch (WakeupException stopped) {
                return ExitCodes.OK;
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(wakeup);
                } catch (IllegalStateException shuttingDown) {
                    // Ctrl-C: the hook is running and waits for this thread
                }
            }
        }
    }

    private int read(KafkaConsumer<byte[], byte[]> consumer, Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        List<PartitionInfo> infos = consumer.listTopics(options.idle()).get(topic);
        if (infos == null || infos.isEmpty()) {
            System.err.println("no topic " + topic + " on this cluster");
            return ExitCodes.FAILURE;
        }
        List<TopicPartition> tps = infos.stream().map(i -> new TopicPartition(topic, i.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
        consumer.assign(tps);
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(tps, options.idle());
        // read_committed: the last stable offset, so an open transaction's records are not waited for
        Map<TopicPartition, Long> end = consumer.endOffsets(tps, options.idle());
        long printed = 0;
        if (options.fromBeginning()) {
            consumer.seekToBeginning(tps);
        } else {
            long back = options.max() * MARKER_ALLOWANCE + MARKER_ALLOWANCE;
            tps.forEach(tp -> consumer.seek(tp, Math.max(begin.get(tp), end.get(tp) - back)));
            List<ConsumerRecord<byte[], byte[]>> last = new ArrayList<>();
            if (!toEnd(consumer, tps, end, last::add, () -> false)) {
                return ExitCodes.TIMEOUT;
            }
            last.sort(Comparator.<ConsumerRecord<byte[], byte[]>>comparingLong(ConsumerRecord::timestamp)
                    .thenComparingInt(ConsumerRecord::partition).thenComparingLong(ConsumerRecord::offset));
            last.subList((int) Math.max(0, last.size() - options.max()), last.size()).forEach(sink);
            if (!options.follow()) {
                return ExitCodes.OK;
            }
            printed = Long.MIN_VALUE; // --max chose the backlog; following is unbounded
        }
        long[] count = {printed};
        Consumer<ConsumerRecord<byte[], byte[]>> bounded = r -> {
            if (count[0] < options.max()) {
                sink.accept(r);
                count[0]++;
            }
        };
        if (!options.follow()) {
            return toEnd(consumer, tps, end, bounded, () -> count[0] >= options.max()) ? ExitCodes.OK
                    : ExitCodes.TIMEOUT;
        }
        while (count[0] < options.max()) {
            consumer.poll(Duration.ofMillis(500)).forEach(bounded);
        }
        return ExitCodes.OK;
    }

    /** Reads until every partition reached {@code end}; false (after saying so) when it stalls for the idle bound. */
    private boolean toEnd(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> tps,
                          Map<TopicPartition, Long> end, Consumer<ConsumerRecord<byte[], byte[]>> sink,
                          BooleanSupplier enough) {
        long deadline = System.nanoTime() + options.idle().toNanos();
        while (!enough.getAsBoolean() && tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
            if (System.nanoTime() > deadline) {
                System.err.println("timeout: no record of " + topic + " within " + options.idle().toSeconds()
                        + "s before the end offsets " + end.values());
                return false;
            }
            var records = consumer.poll(Duration.ofMillis(200));
            if (!records.isEmpty()) {
                deadline = System.nanoTime() + options.idle().toNanos();
            }
            records.forEach(sink);
        }
        return true;
    }
}
