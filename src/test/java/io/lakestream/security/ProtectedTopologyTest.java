package io.lakestream.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.alert.AlertStage;
import io.lakestream.catalog.InMemoryCatalog;
import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.PipelineConfig;
import io.lakestream.port.Ports;
import io.lakestream.registry.InMemoryRegistry;
import io.lakestream.sink.InMemoryObjectStore;
import io.lakestream.testing.TopologyDriver;
import io.lakestream.testing.Hmac;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * The whole topology of {@code config/claims-protected.yaml} (normalize, protect, alerts, records sink, aggregation,
 * aggregates sink) on TopologyTestDriver with in-memory ports: no clear-text value of a hashed or masked field in
 * any topic it writes (keys, values, headers; changelogs and repartition topics included), any object, the catalog
 * or any log line at TRACE. Objects are JSON Lines so that a raw byte search can see values.
 */
class ProtectedTopologyTest {

    static final String SECRET = "616e2d686d61632d6b65792d6f662d33322d62797465732d666f722d74657374";
    static final String RAW = "onprem.claims.raw";
    static final Instant T0 = Instant.parse("2024-05-01T10:45:00Z");

    final InMemoryRegistry registry = new InMemoryRegistry();
    final InMemoryObjectStore store = new InMemoryObjectStore();
    final InMemoryCatalog catalog = new InMemoryCatalog();
    final List<String> clearValues = new ArrayList<>();
    final List<String> largeClaimIds = new ArrayList<>();

    static LakestreamConfig config() {
        return ConfigLoader.load(Path.of("config/claims-protected.yaml"), Map.of("CLAIMS_HASH_SECRET", SECRET,
                "LAKE_FORMAT", "jsonl"));
    }

    static String claim(String account, String claimId, String amount, String status, String adjuster, Instant ts) {
        return "{\"account\":{\"id\":\"" + account + "\"},\"claimId\":\"" + claimId + "\",\"amount\":\"" + amount
                + "\",\"currency\":\"EUR\",\"status\":\"" + status + "\",\"claimTs\":\"" + ts
                + "\",\"adjuster\":{\"name\":\"" + adjuster + "\"},\"policy\":{\"number\":\"POLICY-CLEAR-" + claimId
                + "\"}}";
    }

    @Test
    void shouldLetNoClearValueOfAProtectedFieldReachATopicAnObjectTheCatalogOrALog() throws Exception {
        LakestreamConfig cfg = config();
        PipelineConfig p = cfg.pipelines().get(0);
        List<byte[]> written = new ArrayList<>();
        List<String> logs;
        List<TestRecord<String, GenericRecord>> normalized;
        List<TestRecord<String, GenericRecord>> alerts;
        List<TestRecord<byte[], byte[]>> deadLetters;
        try (LogCapture capture = LogCapture.everything()) {
            Ports ports = new Ports(registry, store, catalog, new SimpleMeterRegistry());
            try (TopologyTestDriver driver = TopologyDriver.of(cfg, ports, RAW)) {
                TestInputTopic<byte[], byte[]> raw = driver.createInputTopic(RAW, new ByteArraySerializer(),
                        new ByteArraySerializer());
                for (int i = 0; i < 40; i++) {
                    String account = "ACCT-CLEAR-" + (1000 + i % 7);
                    String adjuster = "Adjuster Zelda Quixote " + (100 + i);
                    clearValues.addAll(List.of(account, adjuster, "CLAIM-CLEAR-" + i, "POLICY-CLEAR-"));
                    String amount = i % 10 == 3 ? "1500000.00" : i == 17 ? "1000000.00" : (1000 + i) + ".50";
                    if (new java.math.BigDecimal(amount).compareTo(new java.math.BigDecimal(1_000_000)) > 0) {
                        largeClaimIds.add(Hmac.base64(SECRET, "CLAIM-CLEAR-" + i));
                    }
                    raw.pipeInput(account.getBytes(StandardCharsets.UTF_8), claim(account, "CLAIM-CLEAR-" + i, amount,
                            "OPEN", adjuster, T0.plusSeconds(10L * i)).getBytes(StandardCharsets.UTF_8),
                            T0.plusSeconds(10L * i));
                }
                // Dead letters that would quote a protected value: a wrong type on account_id, a bare token.
                String bad1 = "{\"account\":{\"id\":{\"x\":\"ACCT-CLEAR-DL1\"}},\"claimId\":\"CLAIM-CLEAR-DL1\"}";
                String bad2 = "{\"account\":{\"id\":ACCT-CLEAR-DL2}}";
                clearValues.addAll(List.of("ACCT-CLEAR-DL1", "ACCT-CLEAR-DL2", "CLAIM-CLEAR-DL1"));
                raw.pipeInput("ACCT-CLEAR-DL1".getBytes(StandardCharsets.UTF_8),
                        bad1.getBytes(StandardCharsets.UTF_8), T0);
                raw.pipeInput(null, bad2.getBytes(StandardCharsets.UTF_8), T0);
                driver.advanceWallClockTime(Duration.ofMinutes(5));
                driver.advanceWallClockTime(Duration.ofMinutes(5));

                normalized = driver.createOutputTopic(p.outputTopic(), new StringDeserializer(),
                        registry.deserializer()).readRecordsToList();
                alerts = driver.createOutputTopic(p.alerts().topic(), new StringDeserializer(),
                        registry.deserializer()).readRecordsToList();
                deadLetters = driver.createOutputTopic(p.dlqTopic(), new ByteArrayDeserializer(),
                        new ByteArrayDeserializer()).readRecordsToList();
                // Every topic the topology wrote, internal ones included, as raw bytes.
                for (String topic : driver.producedTopicNames()) {
                    if (topic.equals(RAW)) {
                        continue;
                    }
                    for (TestRecord<byte[], byte[]> r : driver.createOutputTopic(topic, new ByteArrayDeserializer(),
                            new ByteArrayDeserializer()).readRecordsToList()) {
                        written.add(bytes(r));
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
        written.add(catalog.table("claims_lake", "claims").toString().getBytes(StandardCharsets.UTF_8));
        written.add(String.join("\n", logs).getBytes(StandardCharsets.UTF_8));

        // The search can fail: the normalized records, the objects and the logs are all there.
        assertThat(normalized).hasSize(40);
        assertThat(store.list("lakestream/claims/")).isNotEmpty();
        assertThat(deadLetters).hasSize(2);
        assertThat(logs).anyMatch(l -> l.contains("Dead letter"));
        String hashed = Hmac.hex(SECRET, "ACCT-CLEAR-1000");
        assertThat(written).anyMatch(b -> contains(b, hashed));
        for (String clear : clearValues) {
            assertThat(written).as("clear value %s", clear).noneMatch(b -> contains(b, clear));
        }

        GenericRecord first = normalized.get(0).value();
        assertThat(normalized.get(0).key()).isEqualTo(hashed);
        assertThat(first.get("account_id").toString()).isEqualTo(hashed);
        assertThat(first.get("adjuster").toString()).isEqualTo("*".repeat("Adjuster Zelda Quixote 1".length()) + "00");
        assertThat(first.getSchema().getField("policy")).isNull();
        assertThat(catalog.table("claims_lake", "claims").columns()).noneMatch(c -> c.name().equals("policy"));

        // Alerts: exactly the input records above the threshold (an independent filter of the input), in order,
        // protected, with the rule's name.
        assertThat(largeClaimIds).hasSize(4);
        assertThat(alerts).extracting(r -> r.value().get("claim_id").toString()).containsExactlyElementsOf(
                largeClaimIds);
        assertThat(alerts).allSatisfy(r -> {
            assertThat(header(r, AlertStage.RULE_HEADER)).isEqualTo("large_claim");
            assertThat(r.key()).hasSize(64);
        });

        // Dead letters: coordinates and reason only; the protected field's value withheld.
        TestRecord<byte[], byte[]> dl = deadLetters.get(0);
        assertThat(dl.key()).isNull();
        assertThat(new String(dl.value(), StandardCharsets.UTF_8)).contains("\"error_class\":\"WRONG_TYPE\"")
                .contains("\"offset\":40").contains("value of a protected field, withheld");
        assertThat(header(deadLetters.get(1), "lakestream.error.class")).isEqualTo("MALFORMED_JSON");
    }

    static String header(TestRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static byte[] bytes(TestRecord<byte[], byte[]> r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(r.key() == null ? new byte[0] : r.key());
        out.writeBytes(r.value() == null ? new byte[0] : r.value());
        for (Header h : r.headers()) {
            out.writeBytes(h.key().getBytes(StandardCharsets.UTF_8));
            out.writeBytes(h.value() == null ? new byte[0] : h.value());
        }
        return out.toByteArray();
    }

    static boolean contains(byte[] haystack, String needle) {
        return contains(haystack, needle.getBytes(StandardCharsets.UTF_8));
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
