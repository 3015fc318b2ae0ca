package io.lakestream.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.catalog.InMemoryCatalog;
import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.PipelineConfig;
import io.lakestream.corpus.Corpus.Case;
import io.lakestream.normalize.ErrorClass;
import io.lakestream.normalize.NormalizeStage;
import io.lakestream.port.Ports;
import io.lakestream.registry.InMemoryRegistry;
import io.lakestream.runtime.Schemas;
import io.lakestream.sink.InMemoryObjectStore;
import io.lakestream.topology.TopologyFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every input of the bad-input corpus through the whole topology ({@link TopologyFactory}) with in-memory ports: each
 * bad one becomes exactly one dead letter with its reason, a message saying what is wrong and its original bytes;
 * each valid one is normalized with the expected value; and the stream still normalizes and lands afterwards.
 */
class BadInputCorpusTest {

    private static final String JSON_TOPIC = "corpus.json.raw";
    private static final String CSV_TOPIC = "corpus.csv.raw";
    private static final String PREFIX = "lake/";

    @TempDir
    Path state;
    private final InMemoryRegistry registry = new InMemoryRegistry();
    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private TopologyTestDriver driver;
    private final Map<String, Pipe> pipes = new HashMap<>();

    private record Pipe(TestInputTopic<byte[], byte[]> raw, TestOutputTopic<byte[], byte[]> dlq,
                        TestOutputTopic<String, GenericRecord> normalized) {
    }

    @BeforeEach
    void start() {
        LakestreamConfig cfg = ConfigLoader.parse("""
                application: { id: corpus }
                kafka: { bootstrap.servers: "unused:9092" }
                registry: { type: memory }
                lake: { store: local, prefix: %s }
                catalog: { type: none }
                """.formatted(PREFIX) + Corpus.pipelinesYaml(JSON_TOPIC, CSV_TOPIC), Corpus.DIR, Map.of(), "corpus");
        Ports ports = new Ports(registry, store, new InMemoryCatalog(), new SimpleMeterRegistry());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "corpus");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        driver = new TopologyTestDriver(TopologyFactory.build(cfg, Schemas.load(cfg), ports,
                Map.of(JSON_TOPIC, 1, CSV_TOPIC, 1)), props, Instant.parse("2024-05-01T12:00:00Z"));
        for (PipelineConfig p : cfg.pipelines()) {
            String kind = p.source().format() == PipelineConfig.InputFormat.CSV ? "csv" : "json";
            pipes.put(kind, new Pipe(
                    driver.createInputTopic(p.source().topics().get(0), new ByteArraySerializer(),
                            new ByteArraySerializer()),
                    driver.createOutputTopic(p.dlqTopic(), new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                    driver.createOutputTopic(p.outputTopic(), new StringDeserializer(), registry.deserializer())));
        }
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void shouldIndexEveryCorpusFileAndCoverAtLeast25Classes() {
        List<Case> cases = Corpus.cases();
        Set<String> indexed = cases.stream().map(Case::file).collect(Collectors.toSet());
        Set<String> errorClasses = Arrays.stream(ErrorClass.values()).map(Enum::name).collect(Collectors.toSet());

        assertThat(indexed).as("every file indexed once").hasSize(cases.size())
                .containsAll(Corpus.inputFiles()).contains(Corpus.NULL_VALUE, Corpus.GIANT);
        assertThat(cases).hasSizeGreaterThanOrEqualTo(25)
                .allSatisfy(c -> assertThat(c.pipeline()).isIn("json", "csv"))
                .allSatisfy(c -> assertThat(c.valid() || errorClasses.contains(c.expected()))
                        .as("%s: %s is VALID or an error class", c, c.expected()).isTrue());
        assertThat(cases.stream().map(Case::expected).distinct()).as("outcomes covered")
                .hasSizeGreaterThanOrEqualTo(18);
    }

    @Test
    void shouldRouteEveryBadInputToItsReasonAndNormalizeEveryValidOneAndKeepRunning() {
        List<Case> cases = Corpus.cases();
        for (Case c : cases) {
            Pipe pipe = pipes.get(c.pipeline());
            pipe.raw().pipeInput(c.key(), c.value(), Instant.parse("2024-05-01T11:00:00Z"));
            List<TestRecord<byte[], byte[]>> dead = pipe.dlq().readRecordsToList();
            List<TestRecord<String, GenericRecord>> normalized = pipe.normalized().readRecordsToList();
            if (c.valid()) {
                assertThat(dead).as("%s: no dead letter, got %s", c, dead.isEmpty() ? "" : header(dead.get(0),
                        NormalizeStage.HEADER_ERROR_MESSAGE)).isEmpty();
                assertThat(normalized).as("%s normalized once", c).hasSize(1);
                assertThat(Corpus.text(normalized.get(0).value(), c.field())).as("%s: %s", c, c.field())
                        .isEqualTo(c.fieldValue());
            } else {
                assertThat(normalized).as("%s: nothing normalized", c).isEmpty();
                assertThat(dead).as("%s: one dead letter", c).hasSize(1);
                TestRecord<byte[], byte[]> letter = dead.get(0);
                assertThat(header(letter, NormalizeStage.HEADER_ERROR_CLASS)).as("%s: error class", c)
                        .isEqualTo(c.expected());
                assertThat(header(letter, NormalizeStage.HEADER_ERROR_MESSAGE)).as("%s: message", c)
                        .contains(c.detail());
                assertThat(letter.value()).as("%s: original bytes", c).isEqualTo(c.value());
                assertThat(letter.key()).as("%s: original key", c).isEqualTo(c.key());
            }
        }

        Pipe json = pipes.get("json");
        json.raw().pipeInput("after".getBytes(StandardCharsets.UTF_8), ("{\"id\":\"after\",\"amount\":\"1.00\","
                + "\"status\":\"PAID\",\"ts\":\"2024-05-01T10:00:01Z\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(json.normalized().readRecordsToList()).extracting(TestRecord::key).containsExactly("after");
    }

    @Test
    void shouldKeepEveryObjectKeyOfExtremeEventTimesUnderTheTablePrefix() {
        for (Case c : Corpus.cases()) {
            if (c.valid()) {
                pipes.get(c.pipeline()).raw().pipeInput(c.key(), c.value(), Instant.parse("2024-05-01T11:00:00Z"));
            }
        }
        driver.advanceWallClockTime(Duration.ofMinutes(5)); // idle timeout: every open window lands

        List<String> keys = store.list("");
        assertThat(keys).isNotEmpty().allSatisfy(k -> assertThat(k).matches(
                "lake/corpus_(json|csv)/dt=\\d{4}-\\d{2}-\\d{2}/hour=\\d{2}/\\d+-corpus\\.(json|csv)\\.raw-0-\\d+"
                        + "(-late)?\\.parquet"));
        assertThat(keys).anyMatch(k -> k.startsWith("lake/corpus_json/dt=1970-01-01/hour=00/0-"))
                .anyMatch(k -> k.startsWith("lake/corpus_json/dt=9999-12-31/hour=23/"));
    }

    private static String header(TestRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
