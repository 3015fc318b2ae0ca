package io.lakestream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.ConfigLoader;
import io.lakestream.config.PipelineConfig;
import io.lakestream.normalize.NormalizeStage;
import io.lakestream.port.Ports;
import io.lakestream.registry.InMemoryRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClaimGeneratorTest {

    @ParameterizedTest
    @ValueSource(ints = {200, 1000})
    void shouldProduceValuesNearTheTargetSize(int size) {
        ClaimGenerator claims = new ClaimGenerator(500, size, 10, ClaimGenerator.DEFAULT_START, 1L);
        for (long i = 0; i < claims.records(); i++) {
            assertThat(claims.value(i).length).as("record %d", i).isBetween(size - size / 10, size + size / 10);
        }
    }

    @Test
    void shouldSpreadEventTimesInOrderOverEveryWindow() {
        ClaimGenerator claims = new ClaimGenerator(1000, 200, 20, ClaimGenerator.DEFAULT_START, 1L);
        Set<Long> windows = new HashSet<>();
        Instant previous = Instant.MIN;
        for (long i = 0; i < claims.records(); i++) {
            Instant t = claims.eventTime(i);
            assertThat(t).isAfterOrEqualTo(previous);
            previous = t;
            windows.add(t.toEpochMilli() / ClaimGenerator.WINDOW_MILLIS);
        }
        assertThat(claims.eventTime(0)).isEqualTo(ClaimGenerator.DEFAULT_START);
        assertThat(windows).hasSize(20);
    }

    @Test
    void shouldGenerateTheSameRecordsForTheSameSeed() {
        ClaimGenerator a = new ClaimGenerator(100, 1000, 5, ClaimGenerator.DEFAULT_START, 7L);
        ClaimGenerator b = new ClaimGenerator(100, 1000, 5, ClaimGenerator.DEFAULT_START, 7L);
        ClaimGenerator other = new ClaimGenerator(100, 1000, 5, ClaimGenerator.DEFAULT_START, 8L);
        assertThat(a.value(42)).isEqualTo(b.value(42)).isNotEqualTo(other.value(42));
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 1000})
    void shouldNormalizeEveryRecordThroughTheExampleClaimsPipeline(int size) {
        PipelineConfig pipeline = ConfigLoader.load(Path.of("config/claims.yaml"), Map.of()).pipelines().get(0);
        InMemoryRegistry registry = new InMemoryRegistry();
        StreamsBuilder builder = new StreamsBuilder();
        NormalizeStage.add(builder, pipeline, ConfigLoader.schemaOf(pipeline),
                new Ports(registry, null, null, new SimpleMeterRegistry()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "claim-generator-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        ClaimGenerator claims = new ClaimGenerator(100, size, 10, ClaimGenerator.DEFAULT_START, 3L);
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
            TestInputTopic<byte[], byte[]> raw = driver.createInputTopic(pipeline.source().topics().get(0),
                    new ByteArraySerializer(), new ByteArraySerializer());
            for (long i = 0; i < claims.records(); i++) {
                raw.pipeInput(claims.key(i), claims.value(i), claims.eventTime(i));
            }
            List<KeyValue<String, GenericRecord>> normalized = driver.createOutputTopic(pipeline.outputTopic(),
                    new StringDeserializer(), registry.deserializer()).readKeyValuesToList();
            assertThat(driver.createOutputTopic(pipeline.dlqTopic(), new StringDeserializer(), new StringDeserializer())
                    .readValuesToList()).isEmpty();
            assertThat(normalized).hasSize(100);
            KeyValue<String, GenericRecord> last = normalized.get(99);
            assertThat(last.key).isEqualTo(claims.account(99));
            assertThat(last.value.get("claim_ts")).isEqualTo(claims.eventTime(99).toEpochMilli());
            assertThat(last.value.get("claim_id")).hasToString("C-000000099");
        }
    }
}
