package io.lakestream.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.runtime.LakestreamApp;
import io.lakestream.runtime.PortsFactory;
import io.lakestream.runtime.Schemas;
import io.lakestream.testing.MotoExtension;
import io.lakestream.testing.MotoServer;
import io.lakestream.testing.TopicRecords;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code config/claims-protected.yaml} on a real broker and moto (S3, Glue catalog, Glue Schema Registry): two
 * instances share the partitions, then one restarts and a second batch runs. No clear-text account id, claim id or
 * adjuster name appears in any object of the bucket, any record (key, value, header) of any topic lakestream wrote,
 * the broker's log segment files, or any log event at TRACE; every landed account id is the HMAC of its source
 * record's account id, so the hashes are the same on both instances and after the restart; the alert topic holds
 * exactly the claims above the threshold.
 */
@ExtendWith(MotoExtension.class)
class ProtectedClaimsIT {

    private static final String RAW = "onprem.claims.raw";
    private static final String BUCKET = "protected-lake-it";
    private static final String SECRET = "69742d686d61632d6b65792d33322d62797465732d6c6f6e672d616263646566";
    private static final Instant T0 = Instant.parse("2024-05-01T10:45:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final Map<String, String> accountBySource = new HashMap<>();
    private final Set<String> largeClaims = new HashSet<>();
    private final Set<String> clearValues = new HashSet<>();

    @Test
    void shouldKeepEveryProtectedValueOutOfTheLakeTopicsAndLogsWithStableHashes(MotoServer moto) throws Exception {
        moto.clients().s3().createBucket(b -> b.bucket(BUCKET));
        Path configFile = uncompressedConfig();
        List<String> logs;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); LogCapture capture = LogCapture.everything()) {
            kafka.createTopics(3, RAW);
            PrometheusMeterRegistry metricsA = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            PrometheusMeterRegistry metricsB = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            try (LakestreamApp a = start(config(configFile, kafka, moto, "a"), metricsA);
                 LakestreamApp b = start(config(configFile, kafka, moto, "b"), metricsB)) {
                // Both instances normalize: b has joined and taken raw partitions before the input arrives.
                awaitNormalizeTasks(a, b);
                produce(kafka, 0, 300);
                CompletableFuture.allOf(CompletableFuture.runAsync(() -> await(a)),
                        CompletableFuture.runAsync(() -> await(b))).get();
                assertThat(recordsIn(metricsA)).as("instance a normalized records").isPositive();
                assertThat(recordsIn(metricsB)).as("instance b normalized records").isPositive();
            }
            LakestreamConfig restarted = config(configFile, kafka, moto, "a");
            try (LakestreamApp again = start(restarted, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
                produce(kafka, 300, 150);
                again.awaitCaughtUp(Duration.ofMinutes(2));
            }
            // The application's log events: its own threads (stream threads and their clients, named after the
            // application id) and lakestream's classes; not the broker's nor this test's producer, which handle the
            // raw topic's clear values by design.
            logs = capture.events().stream()
                    .filter(e -> e.getThreadName().contains("protected-it")
                            || e.getLoggerName().startsWith("io.lakestream"))
                    .map(e -> e.getThreadName() + " " + LogCapture.render(e)).toList();
            List<byte[]> written = new ArrayList<>();
            Set<String> topics = kafka.admin().listTopics().names().get();
            Map<String, List<ConsumerRecord<byte[], byte[]>>> byTopic = new HashMap<>();
            for (String topic : topics) {
                if (!topic.equals(RAW) && !topic.startsWith("__")) {
                    byTopic.put(topic, TopicRecords.readAll(kafka.bootstrapServers(), topic));
                    byTopic.get(topic).forEach(r -> written.add(bytes(r)));
                }
            }
            written.addAll(segmentFiles(kafka.logDir()));
            Map<String, byte[]> objects = bucket(moto.clients().s3());
            written.addAll(objects.values());
            objects.keySet().forEach(k -> written.add(k.getBytes(StandardCharsets.UTF_8)));
            written.add(String.join("\n", logs).getBytes(StandardCharsets.UTF_8));

            // The search can fail: the lake, the topics and the logs are there, and the hashes are found.
            assertThat(objects.keySet()).anyMatch(k -> k.startsWith("lakestream/claims/"));
            assertThat(byTopic.get("claims.normalized")).hasSize(accountBySource.size());
            assertThat(logs).anyMatch(l -> l.contains("Normalized record")).anyMatch(l -> l.contains("Dead letter"));
            String hashed = hmac("ACCT-CLEAR-1003");
            // One text of every byte written (ISO-8859-1 maps each byte to one char), searched with String.indexOf.
            StringBuilder all = new StringBuilder();
            written.forEach(w -> all.append(new String(w, StandardCharsets.ISO_8859_1)).append('\n'));
            String everything = all.toString();
            assertThat(everything).contains(hashed);
            String logText = String.join("\n", logs);
            for (String clear : clearValues) {
                if (logText.contains(clear)) {
                    assertThat(logs).as("log events holding %s", clear).filteredOn(l -> l.contains(clear))
                            .map(l -> l.substring(0, Math.min(l.length(), 400))).isEmpty();
                }
                assertThat(everything.indexOf(clear)).as("clear value %s written at", clear).isEqualTo(-1);
            }

            verifyLakeHashes(objects);
            // Alerts: one per claim above 1,000,000 (an independent filter of the input), found by its hashed claim id.
            List<ConsumerRecord<byte[], byte[]>> alerts = byTopic.get("claims.alerts");
            assertThat(alerts).hasSize(largeClaims.size()).allSatisfy(r ->
                    assertThat(TopicRecords.header(r, "lakestream.alert.rule")).isEqualTo("large_claim"));
            for (String claimId : largeClaims) {
                String hashedId = base64Hmac(claimId);
                assertThat(alerts).as("alert of %s", claimId)
                        .filteredOn(r -> ProtectedTopologyTest.contains(r.value(), hashedId)).hasSize(1);
            }
        }
    }

    /** Every landed row's account_id is the HMAC of its source record's account id: one hash per account. */
    private void verifyLakeHashes(Map<String, byte[]> objects) throws Exception {
        Map<String, Set<String>> hashesByAccount = new HashMap<>();
        Set<String> landed = new HashSet<>();
        for (Map.Entry<String, byte[]> o : objects.entrySet()) {
            if (!o.getKey().startsWith("lakestream/claims/")) {
                continue;
            }
            for (String line : new String(o.getValue(), StandardCharsets.UTF_8).split("\n")) {
                JsonNode row = JSON.readTree(line);
                String source = row.get("_source_partition").asText() + ":" + row.get("_source_offset").asText();
                assertThat(landed.add(source)).as("source offset %s once", source).isTrue();
                String account = accountBySource.get(source);
                assertThat(row.get("account_id").asText()).isEqualTo(hmac(account));
                assertThat(row.has("policy")).isFalse();
                hashesByAccount.computeIfAbsent(account, k -> new HashSet<>()).add(row.get("account_id").asText());
            }
        }
        assertThat(landed).isEqualTo(accountBySource.keySet());
        assertThat(hashesByAccount).hasSize(7).allSatisfy((account, hashes) -> assertThat(hashes).hasSize(1));
    }

    /** {@code config/claims-protected.yaml} with lakestream's producers uncompressed, so segment files show values. */
    private Path uncompressedConfig() throws IOException {
        Files.createDirectories(tmp.resolve("config"));
        Files.createDirectories(tmp.resolve("schemas"));
        Files.copy(Path.of("schemas/claim.avsc"), tmp.resolve("schemas/claim.avsc"));
        String yaml = Files.readString(Path.of("config/claims-protected.yaml"))
                .replace("\nkafka:\n", "\nkafka:\n  producer.compression.type: none\n");
        Path file = tmp.resolve("config/claims-protected.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private LakestreamConfig config(Path file, EmbeddedKafka kafka, MotoServer moto, String instance) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        env.put("LAKESTREAM_APP_ID", "protected-it");
        env.put("LAKESTREAM_STATE_DIR", tmp.resolve("state-" + instance).toString());
        env.put("LAKE_STORE", "s3");
        env.put("LAKE_BUCKET", BUCKET);
        env.put("LAKE_FORMAT", "jsonl");
        env.put("REGISTRY_TYPE", "glue");
        env.put("CATALOG_TYPE", "glue");
        env.put("AWS_REGION", MotoServer.REGION);
        env.put("AWS_ENDPOINT_URL", moto.endpoint().toString());
        env.put("HTTP_PORT", "0");
        env.put("CLAIMS_HASH_SECRET", SECRET);
        return ConfigLoader.load(file, env);
    }

    private static LakestreamApp start(LakestreamConfig cfg, PrometheusMeterRegistry metrics) throws Exception {
        LakestreamApp app = new LakestreamApp(cfg, Schemas.load(cfg), PortsFactory.create(cfg, metrics), metrics);
        app.start();
        return app;
    }

    private static void awaitNormalizeTasks(LakestreamApp... apps) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (java.util.Arrays.stream(apps).anyMatch(app -> app.activeTasks().stream()
                .noneMatch(t -> t.startsWith("0_")))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("raw partitions not shared: "
                        + java.util.Arrays.stream(apps).map(LakestreamApp::activeTasks).toList());
            }
            Thread.sleep(100);
        }
    }

    private static void await(LakestreamApp app) {
        try {
            app.awaitCaughtUp(Duration.ofMinutes(2));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static double recordsIn(PrometheusMeterRegistry metrics) {
        Counter c = metrics.find("lakestream.records.in").counter();
        return c == null ? 0 : c.count();
    }

    /** Claims spread over every partition (each account in each), a few above 1,000,000, one dead letter per 50. */
    private void produce(EmbeddedKafka kafka, int from, int count) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            for (int i = from; i < from + count; i++) {
                String account = "ACCT-CLEAR-" + (1000 + i % 7);
                String adjuster = "Adjuster Zelda Quixote " + (1000 + i);
                String claimId = "CLAIM-CLEAR-" + (10_000 + i);
                String amount = i % 23 == 5 ? "2500000.00" : (100 + i) + ".25";
                clearValues.addAll(List.of(account, adjuster, claimId));
                boolean bad = i % 50 == 49;
                String json = bad ? "{\"account\":{\"id\":" + account + "}}" : ProtectedTopologyTest.claim(account,
                        claimId, amount, "OPEN", adjuster, T0.plusSeconds(i));
                RecordMetadata m = producer.send(new ProducerRecord<>(RAW, i % 3, account, json)).get();
                if (!bad) {
                    accountBySource.put(m.partition() + ":" + m.offset(), account);
                    if (new BigDecimal(amount).compareTo(new BigDecimal(1_000_000)) > 0) {
                        largeClaims.add(claimId);
                    }
                }
            }
        }
    }

    private static Map<String, byte[]> bucket(S3Client s3) {
        Map<String, byte[]> out = new HashMap<>();
        for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(BUCKET)).contents()) {
            ResponseBytes<GetObjectResponse> body = s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(o.key()));
            out.put(o.key(), body.asByteArray());
        }
        return out;
    }

    /** Every file of the broker's log dirs except the raw topic's partitions (which hold the clear input). */
    private static List<byte[]> segmentFiles(Path logDir) throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(logDir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                // .log holds the records; index files are offsets only (and preallocated to 10 MiB each).
                if (!f.getParent().getFileName().toString().startsWith(RAW + "-") && !f.toString().endsWith(".index")
                        && !f.toString().endsWith(".timeindex")) {
                    out.add(Files.readAllBytes(f));
                }
            }
        }
        return out;
    }

    private static byte[] bytes(ConsumerRecord<byte[], byte[]> r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(r.key() == null ? new byte[0] : r.key());
        out.writeBytes(r.value() == null ? new byte[0] : r.value());
        for (Header h : r.headers()) {
            out.writeBytes(h.value() == null ? new byte[0] : h.value());
        }
        return out.toByteArray();
    }

    private static String hmac(String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(HexFormat.of().parseHex(SECRET), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String base64Hmac(String text) throws Exception {
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hmac(text)));
    }
}
