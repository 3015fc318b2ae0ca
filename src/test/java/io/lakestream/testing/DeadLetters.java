package io.lakestream.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a whole topic (a dead-letter topic in particular) as a downstream {@code read_committed} consumer sees it. */
public final class DeadLetters {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    /**
     * One dead letter.
     *
     * @param source      {@code "partition:offset"} of the source record, from the lakestream headers
     * @param coordinates where the letter itself is, {@code <dlq-topic>-<partition>@<offset>}
     */
    public record Letter(String source, String sourceTopic, String errorClass, String coordinates, byte[] value) {
    }

    private DeadLetters() {
    }

    /** Every committed letter of {@code topic}, from the beginning to the last stable offset. */
    public static List<Letter> read(String bootstrapServers, String topic) {
        return committed(bootstrapServers, topic).stream().map(r -> new Letter(header(r, "lakestream.source.partition")
                + ":" + header(r, "lakestream.source.offset"), header(r, "lakestream.source.topic"),
                header(r, "lakestream.error.class"), r.topic() + "-" + r.partition() + "@" + r.offset(), r.value()))
                .toList();
    }

    /** Every committed record of any topic, as a {@code read_committed} consumer sees it. */
    public static List<ConsumerRecord<byte[], byte[]>> committed(String bootstrapServers, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = consumer.partitionsFor(topic, READ_TIMEOUT).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps, READ_TIMEOUT);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to " + end + " within "
                            + READ_TIMEOUT);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
