package io.lakestream.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import io.lakestream.testing.EmbeddedKafkaExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

class EmbeddedKafkaIT {

    @Test
    @ExtendWith(EmbeddedKafkaExtension.class)
    void shouldCreateTopicsWithTheRequestedPartitionsAndKeepExistingOnes(EmbeddedKafka kafka) throws Exception {
        // not a pipeline's topic names: this broker is shared, and a claims pipeline would find them made
        kafka.createTopics(4, "embedded-it.normalized", "embedded-it.dlq");
        kafka.createTopics(1, "embedded-it.normalized");

        try (var admin = kafka.admin()) {
            var topics = admin.describeTopics(List.of("embedded-it.normalized", "embedded-it.dlq")).allTopicNames()
                    .get();
            assertThat(topics.get("embedded-it.normalized").partitions()).hasSize(4);
            assertThat(topics.get("embedded-it.dlq").partitions()).hasSize(4);
            assertThat(topics.get("embedded-it.dlq").partitions().get(0).replicas()).hasSize(1);
        }
    }

    @Test
    void shouldDeliverCommittedTransactionsAndHideAbortedOnesFromReadCommittedConsumers() {
        Path logDir;
        try (var kafka = EmbeddedKafka.start()) {
            logDir = kafka.logDir();
            kafka.createTopics(3, "claims.raw");
            kafka.createTopics(3, "claims.raw");

            try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-tx",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                    new StringSerializer(), new StringSerializer())) {
                producer.initTransactions();
                producer.beginTransaction();
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("claims.raw", "acc-" + i, "claim-" + i));
                }
                producer.commitTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("claims.raw", "acc-x", "aborted"));
                producer.flush();
                producer.abortTransaction();
            }

            List<String> values = new ArrayList<>();
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "it-group",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                    new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("claims.raw"));
                long deadline = System.currentTimeMillis() + 30_000;
                while (values.size() < 10 && System.currentTimeMillis() < deadline) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        values.add(record.value());
                    }
                }
                consumer.commitSync();
                values.addAll(consumer.poll(Duration.ofMillis(500)).records("claims.raw").iterator().hasNext()
                        ? List.of("unexpected") : List.of());
            }

            assertThat(values).containsExactlyInAnyOrder("claim-0", "claim-1", "claim-2", "claim-3", "claim-4",
                    "claim-5", "claim-6", "claim-7", "claim-8", "claim-9");
            assertThat(kafka.bootstrapServers()).startsWith("127.0.0.1:");
        }
        assertThat(logDir).doesNotExist();
    }
}
