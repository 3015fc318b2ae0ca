package io.lakestream.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.testing.CommittedRecords;
import io.lakestream.testing.SecureKafka;
import io.lakestream.testing.SecureKafkaExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An exactly-once Kafka Streams application whose only security configuration is the pass-through client settings
 * of {@link SecureKafka#clientConfig}, as the {@code kafka:} section of a lakestream config would carry them.
 */
@ExtendWith(SecureKafkaExtension.class)
class SecureStreamsIT {

    @ParameterizedTest
    @EnumSource(value = SecurityProtocol.class, names = {"SSL", "SASL_SSL"})
    void shouldRunAnExactlyOnceTopologyThroughASecuredListener(SecurityProtocol protocol, SecureKafka kafka,
            @TempDir Path stateDir) throws Exception {
        String suffix = protocol.name.toLowerCase(Locale.ROOT);
        String input = "secure.streams.in." + suffix;
        String output = "secure.streams.out." + suffix;
        kafka.broker().createTopics(2, input, output);
        Map<String, String> client = kafka.clientConfig(protocol);

        var builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .mapValues(value -> value.toUpperCase(Locale.ROOT))
                .to(output, Produced.with(Serdes.String(), Serdes.String()));
        Properties props = new Properties();
        props.putAll(client);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "secure-streams-" + suffix);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());

        try (var streams = new KafkaStreams(builder.build(), props)) {
            streams.start();
            awaitRunning(streams);
            try (var producer = new KafkaProducer<>(new HashMap<String, Object>(client), new StringSerializer(),
                    new StringSerializer())) {
                for (String word : new String[] {"alpha", "beta", "gamma"}) {
                    producer.send(new ProducerRecord<>(input, word, word));
                }
            }

            assertThat(CommittedRecords.values(client, output, 3))
                    .containsExactlyInAnyOrder("ALPHA", "BETA", "GAMMA");
            assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }

    private static void awaitRunning(KafkaStreams streams) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            assertThat(streams.state()).as("Kafka Streams state").isNotIn(KafkaStreams.State.ERROR,
                    KafkaStreams.State.PENDING_ERROR, KafkaStreams.State.NOT_RUNNING);
            assertThat(System.nanoTime()).as("reached RUNNING within 60 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
