package io.lakestream.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class ExternalKafkaIT {

    private static final String TOPIC = "external.kafka.it";

    @Test
    void shouldKeepAcknowledgedRecordsAcrossKillAndRestart() throws Exception {
        try (ExternalKafka kafka = new ExternalKafka()) {
            kafka.start();
            long firstPid = kafka.pid();
            assertThat(ProcessHandle.of(firstPid)).isPresent();
            assertThat(firstPid).isNotEqualTo(ProcessHandle.current().pid());
            createTopic(kafka);
            produce(kafka, 0, 50);
            assertThat(consumeAll(kafka, 50)).containsExactlyElementsOf(values(0, 50));

            kafka.kill();
            assertThat(kafka.isRunning()).isFalse();
            assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive)).isIn(Optional.empty(), Optional.of(false));

            String bootstrap = kafka.bootstrapServers();
            kafka.restart();
            assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);
            assertThat(kafka.pid()).isNotEqualTo(firstPid);
            produce(kafka, 50, 60);
            assertThat(consumeAll(kafka, 60)).containsExactlyElementsOf(values(0, 60));
        }
    }

    @Test
    void shouldStopGracefullyRestartAndDeleteItsFolderOnClose() throws Exception {
        Path folder;
        try (ExternalKafka kafka = new ExternalKafka(Map.of("num.partitions", "1"), "384m")) {
            kafka.start();
            folder = kafka.logFile().getParent();
            createTopic(kafka);
            produce(kafka, 0, 10);
            kafka.stop();
            assertThat(kafka.isRunning()).isFalse();
            assertThat(Files.readString(kafka.logFile())).contains("shut down completed");
            kafka.restart();
            assertThat(consumeAll(kafka, 10)).containsExactlyElementsOf(values(0, 10));
        }
        assertThat(folder).doesNotExist();
    }

    private static void createTopic(ExternalKafka kafka) {
        kafka.createTopic(TOPIC, 1);
    }

    private static void produce(ExternalKafka kafka, int from, int to) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            for (int i = from; i < to; i++) {
                producer.send(new ProducerRecord<>(TOPIC, "k" + i, "v" + i)).get(60, TimeUnit.SECONDS);
            }
        }
    }

    private static List<String> consumeAll(ExternalKafka kafka, int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(TOPIC, 0);
            consumer.assign(Set.of(tp));
            consumer.seekToBeginning(Set.of(tp));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (seen.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    seen.add(r.value());
                }
            }
        }
        return seen;
    }

    private static List<String> values(int from, int to) {
        List<String> v = new ArrayList<>();
        for (int i = from; i < to; i++) {
            v.add("v" + i);
        }
        return v;
    }
}
