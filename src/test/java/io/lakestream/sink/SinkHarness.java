package io.lakestream.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.iceberg.IcebergLayout;
import io.lakestream.normalize.NormalizeStage;
import io.lakestream.port.Ports;
import io.lakestream.record.NormalizeOutcome.Normalized;
import io.lakestream.window.InMemoryInputReplay;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.BytesDeserializer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import java.util.Optional;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A TopologyTestDriver around a stand-in for the normalize stage: raw JSON claims become {@link Normalized} with
 * their real Kafka coordinates; unparsable ones are left out, as the real stage sends them to the DLQ. Then the
 * stages under test are added.
 *
 * <p>{@code resumeFrom} plays a consumer that starts at a committed offset: raw records below it are skipped, so a
 * second driver can replay the same input and see exactly what Kafka would redeliver after a crash or rebalance.
 */
public final class SinkHarness implements AutoCloseable {

    public static final Schema SCHEMA = loadSchema("/sink/claim.avsc");
    /** A backward-compatible next version: adds an optional {@code priority}. */
    public static final Schema SCHEMA_V2 = loadSchema("/sink/claim-v2.avsc");
    private static final ObjectMapper JSON = new ObjectMapper();

    public final TopologyTestDriver driver;
    public final TestInputTopic<byte[], String> raw;
    public final TestOutputTopic<String, String> landings;
    /** The raw topic as a consumer re-reads it: the records sink's open windows are rebuilt from it. */
    public final InMemoryInputReplay input;
    private long nextOffset;
    private final String applicationId;

    /** Adds the stages under test onto the normalized stream. */
    public interface Stages {
        void add(StreamsBuilder builder, KStream<byte[], Normalized> normalized);
    }

    public SinkHarness(LakestreamConfig cfg, Ports ports, long resumeFrom, Path stateDir, Stages stages) {
        this(cfg, ports, new InMemoryInputReplay(resumeFrom), resumeFrom, stateDir, stages);
    }

    private SinkHarness(LakestreamConfig cfg, Ports ports, InMemoryInputReplay input, long resumeFrom, Path stateDir,
                        Stages stages) {
        this.input = input;
        this.applicationId = cfg.application().id();
        StreamsBuilder builder = new StreamsBuilder();
        KStream<byte[], Normalized> normalized = builder
                .stream(TestConfigs.RAW_TOPIC, Consumed.with(Serdes.ByteArray(), Serdes.String()))
                .processValues(() -> new StandInNormalizer(resumeFrom));
        NormalizeStage.toOutputTopic(normalized, TestConfigs.pipeline(cfg), ports);
        stages.add(builder, normalized);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, cfg.application().id());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(builder.build(), props, Instant.parse("2030-01-01T00:00:00Z"));
        raw = driver.createInputTopic(TestConfigs.RAW_TOPIC, new ByteArraySerializer(), new StringSerializer());
        landings = driver.createOutputTopic(cfg.landingsTopic(), new StringDeserializer(), new StringDeserializer());
    }

    /**
     * The records sink of {@link TestConfigs}'s pipeline under test; a restarted one rebuilds its open windows from
     * the raw records piped into this harness below {@code resumeFrom}.
     */
    public static SinkHarness recordsSink(LakestreamConfig cfg, Ports ports, long resumeFrom) {
        InMemoryInputReplay input = new InMemoryInputReplay(resumeFrom);
        return new SinkHarness(cfg, ports, input, resumeFrom, tempDir(), (b, normalized) ->
                RecordsSinkStage.add(b, normalized, cfg, TestConfigs.pipeline(cfg), SCHEMA, ports.withReplay(input),
                        SinkHarness::decode, IcebergLayout.of(cfg)));
    }

    /** What the stand-in normalizer makes of a raw record read again; null for one it leaves out. */
    static Normalized decode(ConsumerRecord<byte[], byte[]> r) {
        GenericRecord value = parse(new String(r.value(), StandardCharsets.UTF_8));
        return value == null ? null : new Normalized(value.get("account_id").toString(), value,
                (Long) value.get("claim_ts"), r.topic(), r.partition(), r.offset(), r.timestamp());
    }

    public static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("lakestream-ttd");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String claim(String account, String claimId, String amount, long eventTime) {
        return "{\"account_id\":\"" + account + "\",\"claim_id\":\"" + claimId + "\",\"amount\":\"" + amount
                + "\",\"currency\":\"EUR\",\"status\":\"OPEN\",\"claim_ts\":" + eventTime + "}";
    }

    /** Pipes one raw value with the given Kafka timestamp, and appends it to {@link #input}. */
    public void pipe(String value, long kafkaTimestamp) {
        int partition = 0;
        String text = value;
        if (text != null && text.startsWith("p") && text.indexOf('|') > 0) {
            partition = Integer.parseInt(text.substring(1, text.indexOf('|')));
            text = text.substring(text.indexOf('|') + 1);
        }
        input.append(new ConsumerRecord<>(TestConfigs.RAW_TOPIC, partition, nextOffset++, kafkaTimestamp,
                TimestampType.CREATE_TIME, 0, text == null ? 0 : text.length(), null,
                text == null ? null : text.getBytes(StandardCharsets.UTF_8), new RecordHeaders(), Optional.empty()));
        raw.pipeInput(null, value, kafkaTimestamp);
    }

    /** Every entry of a store, as the changelog would restore it. */
    public List<KeyValue<Bytes, byte[]>> snapshot(String storeName) {
        KeyValueStore<Bytes, byte[]> store = driver.getKeyValueStore(storeName);
        List<KeyValue<Bytes, byte[]>> entries = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            it.forEachRemaining(entries::add);
        }
        return entries;
    }

    /**
     * What the store's changelog topic holds at the last commit, latest value per key (deleted keys left out): what
     * a new owner restores. Unlike {@link #snapshot}, it sees only what reached the changelog before a commit.
     */
    public List<KeyValue<Bytes, byte[]>> changelog(String storeName) {
        Map<Bytes, byte[]> latest = new LinkedHashMap<>();
        driver.createOutputTopic(applicationId + "-" + storeName + "-changelog", new BytesDeserializer(),
                new ByteArrayDeserializer()).readKeyValuesToList().forEach(kv -> {
                    if (kv.value == null) {
                        latest.remove(kv.key);
                    } else {
                        latest.put(kv.key, kv.value);
                    }
                });
        return latest.entrySet().stream().map(e -> KeyValue.pair(e.getKey(), e.getValue())).toList();
    }

    /** Restores a store from a snapshot, as a new owner restores it from the changelog. */
    public void restore(String storeName, List<KeyValue<Bytes, byte[]>> entries) {
        KeyValueStore<Bytes, byte[]> store = driver.getKeyValueStore(storeName);
        entries.forEach(kv -> store.put(kv.key, kv.value));
    }

    public List<LandingEvent> landingEvents() {
        return landings.readValuesToList().stream().map(LandingEvent::fromJson).toList();
    }

    @Override
    public void close() {
        driver.close();
    }

    /** Parses a claim the way the normalize stage would; null for malformed input. */
    static GenericRecord parse(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            Schema schema = node.has("priority") ? SCHEMA_V2 : SCHEMA;
            GenericRecord r = new GenericData.Record(schema);
            r.put("account_id", node.get("account_id").asText());
            r.put("claim_id", node.get("claim_id").asText());
            r.put("amount", new BigDecimal(node.get("amount").asText()).setScale(2));
            r.put("currency", node.get("currency").asText());
            r.put("status", new GenericData.EnumSymbol(schema.getField("status").schema(),
                    node.get("status").asText()));
            if (node.has("priority")) {
                r.put("priority", node.get("priority").asText());
            }
            r.put("claim_ts", node.get("claim_ts").asLong());
            return r;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static final class StandInNormalizer implements FixedKeyProcessor<byte[], String, Normalized> {
        private final long resumeFrom;
        private FixedKeyProcessorContext<byte[], Normalized> context;

        StandInNormalizer(long resumeFrom) {
            this.resumeFrom = resumeFrom;
        }

        @Override
        public void init(FixedKeyProcessorContext<byte[], Normalized> context) {
            this.context = context;
        }

        @Override
        public void process(FixedKeyRecord<byte[], String> record) {
            var source = context.recordMetadata().orElseThrow();
            // The driver has one partition per topic; "p<N>|<json>" stands for a record of source partition N.
            String text = record.value();
            int partition = source.partition();
            if (text != null && text.startsWith("p") && text.indexOf('|') > 0) {
                partition = Integer.parseInt(text.substring(1, text.indexOf('|')));
                text = text.substring(text.indexOf('|') + 1);
            }
            GenericRecord value = parse(text);
            if (source.offset() < resumeFrom || value == null) {
                return;
            }
            context.forward(record.withValue(new Normalized(value.get("account_id").toString(), value,
                    (Long) value.get("claim_ts"), source.topic(), partition, source.offset(),
                    record.timestamp())));
        }
    }

    private static Schema loadSchema(String resource) {
        try (InputStream in = SinkHarness.class.getResourceAsStream(resource)) {
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
