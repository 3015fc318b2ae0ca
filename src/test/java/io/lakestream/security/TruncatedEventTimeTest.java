package io.lakestream.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.port.Ports;
import io.lakestream.catalog.InMemoryCatalog;
import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.PipelineConfig;
import io.lakestream.record.SourceHeader;
import io.lakestream.registry.InMemoryRegistry;
import io.lakestream.sink.InMemoryObjectStore;
import io.lakestream.testing.TopologyDriver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * {@code claim_ts: truncate-timestamp to: hour} on the event-time field of {@code config/claims-protected.yaml} (the
 * aggregation's window made 1h, as the config requires), the whole topology on TopologyTestDriver: the exact event
 * time of a claim — its epoch milliseconds as text and as the 8 bytes a header would hold, its ISO text, its 100 s
 * window start — reaches no topic (the normalized topic's source header included), no object name, object or
 * metadata, no dead-letter message and no log line; what they carry is the hour.
 */
class TruncatedEventTimeTest {

    static final Instant HOUR = Instant.parse("2024-05-01T10:00:00Z");
    /** Kafka timestamps: whole seconds, after every event time, so they are never mistaken for one. */
    static final Instant KAFKA_T0 = Instant.parse("2024-05-01T13:00:00Z");

    static LakestreamConfig config() throws Exception {
        String yaml = Files.readString(Path.of("config/claims-protected.yaml"))
                .replace("        policy: drop\n", "        policy: drop\n"
                        + "        claim_ts: { method: truncate-timestamp, to: hour }\n")
                .replace("window: { size: 100s, grace: 30s }", "window: { size: 1h, grace: 30s }");
        return ConfigLoader.parse(yaml, Path.of("config"), Map.of("CLAIMS_HASH_SECRET",
                ProtectedTopologyTest.SECRET, "LAKE_FORMAT", "jsonl"), "claims-protected.yaml");
    }

    @Test
    void shouldLetNoExactEventTimeReachAHeaderAWindowAnObjectNameADeadLetterOrALog() throws Exception {
        LakestreamConfig cfg = config();
        PipelineConfig p = cfg.pipelines().get(0);
        assertThat(p.protection().fields().get("claim_ts").truncateTo()).isEqualTo(ChronoUnit.HOURS);
        InMemoryRegistry registry = new InMemoryRegistry();
        InMemoryObjectStore store = new InMemoryObjectStore();
        List<Instant> exact = new ArrayList<>();
        List<byte[]> written = new ArrayList<>();
        List<TestRecord<String, GenericRecord>> normalized;
        List<TestRecord<byte[], byte[]>> deadLetters;
        List<String> logs;
        try (LogCapture capture = LogCapture.everything()) {
            Ports ports = new Ports(registry, store, new InMemoryCatalog(), new SimpleMeterRegistry());
            try (TopologyTestDriver driver = TopologyDriver.of(cfg, ports, ProtectedTopologyTest.RAW)) {
                TestInputTopic<byte[], byte[]> raw = driver.createInputTopic(ProtectedTopologyTest.RAW,
                        new ByteArraySerializer(), new ByteArraySerializer());
                List<Instant> sent = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    sent.add(HOUR.plus(Duration.ofMinutes(45)).plusMillis(97_137L * i + 1));
                }
                sent.add(Instant.parse("2024-05-01T12:10:00.555Z")); // stream time reaches 12:00: 10:00-11:00 closes
                sent.add(Instant.parse("2024-05-01T10:05:12.345Z")); // then late: left out of the aggregation
                sent.add(Instant.parse("2204-05-01T10:17:42.137Z")); // EVENT_TIME_OUT_OF_BOUNDS
                for (int i = 0; i < sent.size(); i++) {
                    String account = "A-" + (i % 3);
                    raw.pipeInput(account.getBytes(StandardCharsets.UTF_8), ProtectedTopologyTest.claim(account,
                            "C-" + i, "10.00", "OPEN", "Adjuster " + i, sent.get(i)).getBytes(StandardCharsets.UTF_8),
                            KAFKA_T0.plusSeconds(i));
                }
                exact.addAll(sent);
                driver.advanceWallClockTime(Duration.ofMinutes(5));
                driver.advanceWallClockTime(Duration.ofMinutes(5));

                normalized = driver.createOutputTopic(p.outputTopic(), new StringDeserializer(),
                        registry.deserializer()).readRecordsToList();
                deadLetters = driver.createOutputTopic(p.dlqTopic(), new ByteArrayDeserializer(),
                        new ByteArrayDeserializer()).readRecordsToList();
                for (String topic : driver.producedTopicNames()) {
                    if (!topic.equals(ProtectedTopologyTest.RAW)) {
                        driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer())
                                .readRecordsToList().forEach(r -> written.add(ProtectedTopologyTest.bytes(r)));
                    }
                }
            }
            logs = capture.events().stream().map(LogCapture::render).toList();
        }
        for (String key : store.list("")) {
            written.add(key.getBytes(StandardCharsets.UTF_8));
            written.add(store.read(key));
            written.add(store.metadata(key).orElseThrow().toString().getBytes(StandardCharsets.UTF_8));
        }
        written.add(String.join("\n", logs).getBytes(StandardCharsets.UTF_8));

        // What the search must see, so that it can fail: headers, objects, the dead letter and the late record's log.
        assertThat(normalized).hasSize(32);
        assertThat(normalized).allSatisfy(r -> {
            long eventTime = SourceHeader.read(r.headers(), p.source().topics()).eventTime();
            assertThat(eventTime % 3_600_000L).as("header event time on the hour").isZero();
            assertThat((Long) r.value().get("claim_ts")).isEqualTo(eventTime);
        });
        assertThat(store.list("lakestream/claims/")).isNotEmpty().allSatisfy(k -> assertThat(k)
                .matches(".*/\\d+-onprem\\.claims\\.raw-0-\\d+(-late)?\\.json")
                .satisfies(name -> assertThat(Long.parseLong(name.substring(name.lastIndexOf('/') + 1,
                        name.indexOf('-', name.lastIndexOf('/')))) % 3_600_000L).isZero()));
        assertThat(store.list("lakestream/claims_by_account/")).isNotEmpty();
        assertThat(deadLetters).singleElement().satisfies(dl -> assertThat(
                ProtectedTopologyTest.header(dl, "lakestream.error.message"))
                .isEqualTo("field claim_ts: event time 2204-05-01T10:00:00Z (truncated to the hour) is more than 1h"
                        + " ahead of the wall clock 2024-05-01T13:00:32Z (event-time.max-future)"));
        assertThat(logs).anyMatch(l -> l.contains("left out of closed windows, e.g. offset 31 (event time "
                + "2024-05-01T10:00:00Z)"));

        for (Instant t : exact) {
            long millis = t.toEpochMilli();
            long window100s = Math.floorDiv(millis, 100_000L) * 100_000L;
            List<byte[]> needles = new ArrayList<>(List.of(Long.toString(millis).getBytes(StandardCharsets.UTF_8),
                    t.toString().substring(0, 19).getBytes(StandardCharsets.UTF_8),
                    ByteBuffer.allocate(8).putLong(millis).array()));
            // The records table's 100 s window of a truncated time starts on the hour and ends 100 s after it.
            if (window100s % 3_600_000L > 100_000L) {
                needles.add(Long.toString(window100s).getBytes(StandardCharsets.UTF_8));
            }
            for (byte[] needle : needles) {
                assertThat(written).as("%s (%s)", t, new String(needle, StandardCharsets.ISO_8859_1))
                        .noneMatch(b -> ProtectedTopologyTest.contains(b, needle));
            }
        }
    }
}
