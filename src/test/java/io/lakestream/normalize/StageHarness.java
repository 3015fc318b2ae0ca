package io.lakestream.normalize;

import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.PipelineConfig;
import io.lakestream.port.Ports;
import io.lakestream.registry.InMemoryRegistry;
import io.lakestream.sink.InMemoryObjectStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** A tiny topology holding one pipeline's normalize stage, driven by TopologyTestDriver with in-memory ports. */
final class StageHarness implements AutoCloseable {

    final PipelineConfig pipeline;
    final InMemoryRegistry registry = new InMemoryRegistry();
    final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    /** The lake store, where dead letters too large for their topic keep their bytes. */
    final InMemoryObjectStore store = new InMemoryObjectStore();
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> raw;
    final TestOutputTopic<String, GenericRecord> normalized;
    final TestOutputTopic<byte[], byte[]> dlq;

    StageHarness(String configFile) {
        this(ConfigLoader.load(Path.of(configFile), Map.of()).pipelines().get(0));
    }

    StageHarness(PipelineConfig pipeline) {
        this.pipeline = pipeline;
        StreamsBuilder builder = new StreamsBuilder();
        NormalizeStage.add(builder, pipeline, ConfigLoader.schemaOf(pipeline),
                new Ports(registry, store, null, metrics));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "normalize-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(builder.build(), props, Instant.parse("2024-01-31T12:00:00Z"));
        raw = driver.createInputTopic(pipeline.source().topics().get(0), new ByteArraySerializer(),
                new ByteArraySerializer());
        normalized = driver.createOutputTopic(pipeline.outputTopic(), new StringDeserializer(),
                registry.deserializer());
        dlq = driver.createOutputTopic(pipeline.dlqTopic(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    void send(String key, String value) {
        send(key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    void send(byte[] key, byte[] value) {
        raw.pipeInput(key, value, Instant.parse("2024-01-31T12:00:00Z"));
    }

    List<TestRecord<String, GenericRecord>> normalized() {
        return normalized.readRecordsToList();
    }

    TestRecord<byte[], byte[]> onlyDeadLetter() {
        List<TestRecord<byte[], byte[]>> records = dlq.readRecordsToList();
        if (records.size() != 1 || !normalized.isEmpty()) {
            throw new AssertionError("expected exactly one dead letter and nothing normalized, got " + records.size()
                    + " dead letters, normalized empty=" + normalized.isEmpty());
        }
        return records.get(0);
    }

    static String header(TestRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    double counter(String name, String... tags) {
        var counter = metrics.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Override
    public void close() {
        driver.close();
    }
}
