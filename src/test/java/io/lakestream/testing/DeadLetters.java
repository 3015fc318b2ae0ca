package io.lakestream.testing;

import io.lakestream.demo.TopicReader;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

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
        return TopicReader.readAll(bootstrapServers, topic, READ_TIMEOUT);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return TopicReader.header(r, name);
    }
}
