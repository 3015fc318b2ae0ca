package io.lakestream.config;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The names Kafka's own clients know (consumer, producer, admin, Streams), to catch a misspelled key under
 * {@code kafka:} that Kafka would only log as "unused" while the real setting silently keeps its default. A key that
 * is unknown but close to no known name passes: interceptors, config providers and plug-ins bring their own.
 */
final class KafkaKeys {

    /** Streams' prefixes that pass a setting to one of its clients, or to the topics it creates. */
    private static final List<String> CLIENT_PREFIXES = List.of(StreamsConfig.MAIN_CONSUMER_PREFIX,
            StreamsConfig.RESTORE_CONSUMER_PREFIX, StreamsConfig.GLOBAL_CONSUMER_PREFIX,
            StreamsConfig.CONSUMER_PREFIX, StreamsConfig.PRODUCER_PREFIX, StreamsConfig.ADMIN_CLIENT_PREFIX);

    private static final Set<String> KNOWN = known();

    private KafkaKeys() {
    }

    private static Set<String> known() {
        Set<String> names = new HashSet<>();
        names.addAll(ConsumerConfig.configNames());
        names.addAll(ProducerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        names.addAll(StreamsConfig.configDef().names());
        return Set.copyOf(names);
    }

    /** The known name {@code key} was probably meant to be, empty when the key is known or near no known name. */
    static Optional<String> misspelled(String key) {
        String prefix = "";
        String name = key;
        for (String p : CLIENT_PREFIXES) {
            if (key.startsWith(p)) {
                prefix = p;
                name = key.substring(p.length());
                break;
            }
        }
        if (key.startsWith(StreamsConfig.TOPIC_PREFIX) || KNOWN.contains(name)) {
            return Optional.empty();
        }
        String p = prefix;
        return YamlSection.closest(name, KNOWN).map(k -> p + k);
    }
}
