package io.lakestream.testing;

import io.lakestream.demo.SampleClaims;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Sends raw records (bytes as they are, null allowed) to a topic and says where each one landed. */
public final class RawProducer {

    private RawProducer() {
    }

    /** A raw record: key and value bytes exactly as a source system would publish them. */
    public record Raw(byte[] key, byte[] value) {
    }

    /** @return {@code "partition:offset"} of each record, in the order given */
    public static List<String> send(String bootstrapServers, String topic, List<Raw> records) {
        return send(bootstrapServers, topic, records, 4 << 20);
    }

    /** Sample claims (see {@link SampleClaims}), keyed by account; @return each claim by {@code "partition:offset"} */
    public static Map<String, SampleClaims.Claim> sendClaims(String bootstrapServers, String topic,
            List<SampleClaims.Claim> claims) {
        List<String> coordinates = send(bootstrapServers, topic, claims.stream().map(c -> new Raw(c.key() == null
                ? null : c.key().getBytes(StandardCharsets.UTF_8), c.value())).toList());
        Map<String, SampleClaims.Claim> sent = new LinkedHashMap<>();
        for (int i = 0; i < claims.size(); i++) {
            sent.put(coordinates.get(i), claims.get(i));
        }
        return sent;
    }

    /** @param maxRequestBytes the producer's {@code max.request.size}: the largest record it may send */
    public static List<String> send(String bootstrapServers, String topic, List<Raw> records, int maxRequestBytes) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRequestBytes);
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (Raw r : records) {
                sent.add(producer.send(new ProducerRecord<>(topic, r.key(), r.value())));
            }
            List<String> coordinates = new ArrayList<>();
            for (Future<RecordMetadata> f : sent) {
                RecordMetadata m = f.get();
                coordinates.add(m.partition() + ":" + m.offset());
            }
            return coordinates;
        } catch (ExecutionException e) {
            throw new IllegalStateException("producing to " + topic + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
