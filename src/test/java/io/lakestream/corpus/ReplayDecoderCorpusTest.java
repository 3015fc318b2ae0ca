package io.lakestream.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.port.Ports;
import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.PipelineConfig;
import io.lakestream.corpus.Corpus.Case;
import io.lakestream.record.NormalizeOutcome.Normalized;
import io.lakestream.normalize.NormalizeStage;
import io.lakestream.registry.InMemoryRegistry;
import io.lakestream.sink.InMemoryObjectStore;
import io.lakestream.record.ReplayDecoder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * The replay decoder (what a records sink re-reads to rebuild its open windows after a restart) against the live
 * normalize stage, over the whole bad-input corpus plus an event time out of bounds and a record too large for the
 * output topic, with protection on (the id hashed, the note masked, the event time truncated to the hour): it
 * rejects exactly the records the live stage dead-letters, and gives every other one the protected value, key and
 * event time the live stage wrote.
 */
class ReplayDecoderCorpusTest {

    private static final Instant KAFKA_TIME = Instant.parse("2024-05-01T11:00:00Z");
    private static final int OUTPUT_LIMIT = 8192;
    /** Indented as a pipeline's section in {@link Corpus#pipelinesYaml}. */
    private static final String PROTECT = "    protect:\n      hash-secret: \"000102030405060708090a0b0c0d0e0f\"\n"
            + "      fields: { id: hash, note: { method: mask, keep-last: 2 },"
            + " ts: { method: truncate-timestamp, to: hour } }\n";

    @Test
    void shouldRejectExactlyWhatTheLiveStageDeadLettersAndRebuildTheRestAsItWasWritten() {
        String yaml = """
                application: { id: corpus }
                kafka: { bootstrap.servers: "unused:9092" }
                registry: { type: memory }
                lake: { store: local, prefix: lake/ }
                catalog: { type: none }
                """ + Corpus.pipelinesYaml("corpus.json.raw", "corpus.csv.raw")
                // 100 years ahead: year 9999 and 2300 are out of bounds, the corpus's 2024 times are not.
                .replace("max-future: 3000000d }\n", "max-future: 36500d }\n" + PROTECT)
                .replace("format: iso-8601 }\n    landing: { table: corpus_csv",
                        "format: iso-8601 }\n" + PROTECT + "    landing: { table: corpus_csv");
        LakestreamConfig cfg = ConfigLoader.parse(yaml, Corpus.DIR, Map.of(), "corpus");
        List<String> classes = new ArrayList<>();
        int normalized = 0;
        for (PipelineConfig configured : cfg.pipelines()) {
            assertThat(configured.protection().fields()).containsOnlyKeys("id", "note", "ts");
            PipelineConfig p = configured.withLimits(configured.limits().withTopics(1 << 20, OUTPUT_LIMIT, "lake/"));
            String kind = p.source().format() == PipelineConfig.InputFormat.CSV ? "csv" : "json";
            List<byte[]> inputs = new ArrayList<>(Corpus.cases().stream().filter(c -> c.pipeline().equals(kind))
                    .map(Case::value).toList());
            if (kind.equals("json")) {
                inputs.add(json("2300-01-01T00:00:00.123Z", "oob"));
                inputs.add(json("2024-05-01T10:17:42.137Z", "n".repeat(OUTPUT_LIMIT + 100)));
            }
            ReplayDecoder replay = NormalizeStage.replayDecoder(p, ConfigLoader.schemaOf(p));
            try (Live live = new Live(p)) {
                for (int offset = 0; offset < inputs.size(); offset++) {
                    byte[] value = inputs.get(offset);
                    live.raw.pipeInput(null, value, KAFKA_TIME);
                    List<TestRecord<byte[], byte[]>> dead = live.dlq.readRecordsToList();
                    List<TestRecord<String, GenericRecord>> out = live.normalized.readRecordsToList();
                    Normalized rebuilt = replay.decode(new ConsumerRecord<>(p.source().topics().get(0), 0, offset,
                            KAFKA_TIME.toEpochMilli(), TimestampType.CREATE_TIME, 0, value == null ? 0 : value.length,
                            null, value, new RecordHeaders(), Optional.empty()));
                    String what = kind + " input " + offset + ": "
                            + (value == null ? "null" : new String(value, 0, Math.min(80, value.length),
                            StandardCharsets.UTF_8));
                    assertThat(dead.size() + out.size()).as(what).isEqualTo(1);
                    if (!dead.isEmpty()) {
                        classes.add(new String(dead.get(0).headers().lastHeader(NormalizeStage.HEADER_ERROR_CLASS)
                                .value(), StandardCharsets.UTF_8));
                        assertThat(rebuilt).as(what + " is a dead letter live, so not rebuilt").isNull();
                    } else {
                        normalized++;
                        assertThat(rebuilt).as(what + " rebuilt").isNotNull();
                        assertThat(rebuilt.key()).as(what).isEqualTo(out.get(0).key()).hasSize(64);
                        assertThat(rebuilt.value().toString()).as(what).isEqualTo(out.get(0).value().toString());
                        assertThat(rebuilt.eventTime()).as(what).isEqualTo(out.get(0).value().get("ts"))
                                .satisfies(t -> assertThat(t % 3_600_000L).isZero());
                        assertThat(rebuilt.offset()).isEqualTo(offset);
                    }
                }
            }
        }
        assertThat(normalized).as("records the live stage normalized").isGreaterThan(10);
        assertThat(classes).hasSizeGreaterThan(30).contains("EVENT_TIME_OUT_OF_BOUNDS", "OUTPUT_TOO_LARGE",
                "RECORD_TOO_LARGE", "MALFORMED_JSON", "EMPTY_VALUE");
    }

    private static byte[] json(String ts, String note) {
        return ("{\"id\":\"extra\",\"amount\":\"1.00\",\"status\":\"OPEN\",\"ts\":\"" + ts + "\",\"note\":\"" + note
                + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** The pipeline's normalize stage alone on TopologyTestDriver. */
    private static final class Live implements AutoCloseable {

        final InMemoryRegistry registry = new InMemoryRegistry();
        final TopologyTestDriver driver;
        final TestInputTopic<byte[], byte[]> raw;
        final TestOutputTopic<String, GenericRecord> normalized;
        final TestOutputTopic<byte[], byte[]> dlq;

        Live(PipelineConfig p) {
            StreamsBuilder builder = new StreamsBuilder();
            NormalizeStage.add(builder, p, ConfigLoader.schemaOf(p), new Ports(registry, new InMemoryObjectStore(),
                    null, new SimpleMeterRegistry()));
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "replay-corpus");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            driver = new TopologyTestDriver(builder.build(), props, KAFKA_TIME);
            raw = driver.createInputTopic(p.source().topics().get(0), new ByteArraySerializer(),
                    new ByteArraySerializer());
            normalized = driver.createOutputTopic(p.outputTopic(), new StringDeserializer(), registry.deserializer());
            dlq = driver.createOutputTopic(p.dlqTopic(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }

        @Override
        public void close() {
            driver.close();
        }
    }
}
