package io.lakestream.runtime;

import io.lakestream.config.LakestreamConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pins the window and aggregation {@link Definitions} of an application id in the compacted topic
 * {@code <application-id>.definitions}: written at the first start, compared at every later one. Kept in Kafka, next
 * to the committed offsets it must agree with, so it survives a wiped state directory. A changed definition is
 * refused, naming what changed and the two ways forward; {@code accept-definitions} records the new ones after a
 * migration.
 */
public final class DefinitionsCheck {

    private static final Logger log = LoggerFactory.getLogger(DefinitionsCheck.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private DefinitionsCheck() {
    }

    static String topic(LakestreamConfig config) {
        return config.application().id() + ".definitions";
    }

    /**
     * Records the definitions not yet recorded and compares the others.
     *
     * @throws IllegalStateException when a recorded definition differs from the configured one
     */
    static void verify(Admin admin, LakestreamConfig config) throws InterruptedException {
        ensureTopic(admin, config);
        Map<String, String> recorded = read(config);
        Map<String, String> current = Definitions.of(config);
        List<String> changes = Definitions.changes(recorded, current);
        if (!changes.isEmpty()) {
            throw new IllegalStateException("window or aggregation definitions changed under application.id "
                    + config.application().id() + " (recorded in topic " + topic(config) + "): "
                    + String.join("; ", changes) + ". Objects are found again by window start and aggregation state is"
                    + " typed by its definition, so the change would mislabel objects and miscount aggregates. Ways"
                    + " forward: (1) run the new definition under a new application.id (for an aggregation: a new"
                    + " aggregation name); or (2) migrate: run the old configuration with `run --until-caught-up`"
                    + " until it exits 0 (every open window landed), record the new definitions with"
                    + " `accept-definitions --config FILE`, then start the new configuration");
        }
        Map<String, String> missing = new LinkedHashMap<>(current);
        missing.keySet().removeAll(recorded.keySet());
        if (!missing.isEmpty()) {
            write(config, missing);
        }
    }

    /** Records the configured definitions, replacing what was recorded (the last step of a migration). */
    public static Map<String, String> accept(Admin admin, LakestreamConfig config) throws InterruptedException {
        ensureTopic(admin, config);
        Map<String, String> current = Definitions.of(config);
        write(config, current);
        return current;
    }

    private static void ensureTopic(Admin admin, LakestreamConfig config) throws InterruptedException {
        NewTopic topic = new NewTopic(topic(config), Optional.of(1), Optional.empty())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        NewTopics.create(admin, List.of(topic), TIMEOUT);
    }

    private static Map<String, String> read(LakestreamConfig config) {
        Properties p = clientProps(config);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, String> recorded = new LinkedHashMap<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(topic(config), 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), TIMEOUT).get(tp);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (consumer.position(tp, TIMEOUT) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read topic " + tp.topic() + " to offset " + end
                            + " within " + TIMEOUT);
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        recorded.remove(r.key());
                    } else {
                        recorded.put(r.key(), r.value());
                    }
                }
            }
        }
        return recorded;
    }

    private static void write(LakestreamConfig config, Map<String, String> definitions) {
        Properties p = clientProps(config);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (var d : definitions.entrySet()) {
                producer.send(new ProducerRecord<>(topic(config), 0, d.getKey(), d.getValue())).get();
                log.info("recorded definition {}: {}", d.getKey(), d.getValue());
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot write to topic " + topic(config) + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to " + topic(config), e);
        }
    }

    /** The cluster connection of the {@code kafka:} section (TLS/SASL included); Streams-only keys are ignored. */
    private static Properties clientProps(LakestreamConfig config) {
        Properties p = new Properties();
        config.kafka().forEach(p::put);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return p;
    }
}
