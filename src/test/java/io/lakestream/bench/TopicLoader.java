package io.lakestream.bench;

import io.lakestream.testing.ExternalKafka;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Creates the raw topic and fills it with synthetic claims, timing the producer. */
final class TopicLoader {

    /** The producer's row in the report. */
    static final String PRODUCER = "producer";

    /** A filled raw topic, and how fast it was filled. */
    record LoadedTopic(String topic, int partitions, int recordSize, long records, long payloadBytes,
                       double produceSeconds, Instant firstEventTime, Instant lastEventTime) {

        VariantResult asProducerResult() {
            return new VariantResult(PRODUCER, recordSize, VariantResult.Status.OK, null, records, payloadBytes,
                    produceSeconds, -1, -1, -1, -1, -1, -1, -1, -1);
        }
    }

    private TopicLoader() {
    }

    static LoadedTopic load(ExternalKafka kafka, String topic, int partitions, ClaimGenerator claims,
                            int recordSize) {
        kafka.createTopic(topic, partitions);
        String bootstrap = kafka.bootstrapServers();
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, "10",
                ProducerConfig.BATCH_SIZE_CONFIG, "262144",
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "none",
                ProducerConfig.CLIENT_ID_CONFIG, "bench-loader");
        AtomicReference<Exception> failure = new AtomicReference<>();
        long bytes = 0;
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (long i = 0; i < claims.records() && failure.get() == null; i++) {
                byte[] key = claims.key(i);
                byte[] value = claims.value(i);
                bytes += key.length + value.length;
                // Stamped now, as an on-prem producer would: event times of 2024 as Kafka timestamps would let the
                // broker's 7-day retention delete the topic under the benchmark (it did: runs lost 50-80 %).
                producer.send(new ProducerRecord<>(topic, key, value),
                        (meta, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (failure.get() != null) {
            throw new IllegalStateException("producing to " + topic + " failed", failure.get());
        }
        return new LoadedTopic(topic, partitions, recordSize, claims.records(), bytes, seconds, claims.eventTime(0),
                claims.eventTime(claims.records() - 1));
    }
}
