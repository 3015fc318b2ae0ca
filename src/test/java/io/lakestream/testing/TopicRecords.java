package io.lakestream.testing;

import io.lakestream.demo.TopicReader;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;



/** Reads back whole topics, bytes and headers, as an exactly-once consumer sees them. */
public final class TopicRecords {

    private TopicRecords() {
    }

    /** Every committed record of {@code topic}, from the beginning to the end offsets at the time of the call. */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrapServers, String topic) {
        return TopicReader.readAll(bootstrapServers, topic, Duration.ofSeconds(30));
    }

    /** A header's value as UTF-8 text, or null. */
    public static String header(ConsumerRecord<?, ?> r, String name) {
        return TopicReader.header(r, name);
    }
}
