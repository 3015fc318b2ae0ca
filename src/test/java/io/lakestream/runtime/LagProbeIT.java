package io.lakestream.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.testing.EmbeddedKafkaExtension;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedKafkaExtension.class)
class LagProbeIT {

    private EmbeddedKafka kafka;

    @BeforeEach
    void useBroker(EmbeddedKafka broker) {
        kafka = broker;
    }

    @Test
    void shouldReportRecordsNotYetConsumedEvenWhenTheFirstFetchIsSlow() throws Exception {
        kafka.createTopics(4, "lag.plain");
        produce("lag.plain", 20_000, false);
        Properties client = new Properties();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        try (Admin admin = kafka.admin()) {
            for (int attempt = 0; attempt < 3; attempt++) {
                try (LagProbe probe = new LagProbe(admin, client, "group-that-never-ran")) {
                    assertThat(probe.lag(Set.of("lag.plain"))).as("attempt %d", attempt).hasSize(4);
                }
            }
        }
    }

    @Test
    void shouldCountAPartitionWhoseRemainderIsOnlyATransactionMarkerAsCaughtUp() throws Exception {
        kafka.createTopics(1, "lag.tx");
        produce("lag.tx", 10, true);
        TopicPartition tp = new TopicPartition("lag.tx", 0);
        Properties client = new Properties();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        try (Admin admin = kafka.admin()) {
            // ten records at offsets 0..9, the commit marker at 10: a consumer that read all ten committed 10
            admin.alterConsumerGroupOffsets("tx-group", Map.of(tp, new OffsetAndMetadata(10))).all().get();
            try (LagProbe probe = new LagProbe(admin, client, "tx-group")) {
                assertThat(probe.lag(Set.of("lag.tx"))).isEmpty();
            }
            admin.alterConsumerGroupOffsets("tx-group", Map.of(tp, new OffsetAndMetadata(9))).all().get();
            try (LagProbe probe = new LagProbe(admin, client, "tx-group")) {
                assertThat(probe.lag(Set.of("lag.tx"))).containsOnlyKeys(tp);
            }
        }
    }

    @Test
    void shouldTakeAGroupAtWorkForLaggingWithoutFetchingAndAskAgainOnceItStands() throws Exception {
        kafka.createTopics(2, "lag.moving");
        produce("lag.moving", 20, true);
        TopicPartition p0 = new TopicPartition("lag.moving", 0);
        TopicPartition p1 = new TopicPartition("lag.moving", 1);
        Properties client = new Properties();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        try (Admin admin = kafka.admin()) {
            long end0 = admin.listOffsets(Map.of(p0, org.apache.kafka.clients.admin.OffsetSpec.latest())).all().get()
                    .get(p0).offset();
            long end1 = admin.listOffsets(Map.of(p1, org.apache.kafka.clients.admin.OffsetSpec.latest())).all().get()
                    .get(p1).offset();
            // p1 consumed up to its commit marker; p0 half way
            commit(admin, "moving-group", p0, (end0 - 1) / 2, p1, end1 - 1);
            try (LagProbe probe = new LagProbe(admin, client, "moving-group", java.time.Duration.ofSeconds(1))) {
                assertThat(probe.lag(Set.of("lag.moving"))).as("standing still: fetched").containsOnlyKeys(p0);
                commit(admin, "moving-group", p0, end0 - 1, p1, end1 - 1);
                assertThat(probe.lag(Set.of("lag.moving")))
                        .as("p0 moved: the group is at work, and p1's marker is not fetched").containsOnlyKeys(p0, p1);
                assertThat(probe.lag(Set.of("lag.moving"))).as("within a commit interval of the move")
                        .containsOnlyKeys(p0, p1);
                Thread.sleep(1_100);
                assertThat(probe.lag(Set.of("lag.moving"))).as("standing for a commit interval: markers only")
                        .isEmpty();
            }
        }
    }

    private static void commit(Admin admin, String group, TopicPartition a, long atA, TopicPartition b, long atB)
            throws Exception {
        admin.alterConsumerGroupOffsets(group, Map.of(a, new OffsetAndMetadata(atA), b, new OffsetAndMetadata(atB)))
                .all().get();
    }

    private void produce(String topic, int count, boolean transactional) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        if (transactional) {
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "lag-probe-it");
        }
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            if (transactional) {
                producer.initTransactions();
                producer.beginTransaction();
            }
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
            }
            if (transactional) {
                producer.commitTransaction();
            }
        }
    }
}
