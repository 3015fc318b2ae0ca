package io.lakestream.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.runtime.LakestreamApp;
import io.lakestream.testing.AppUnderTest;
import io.lakestream.testing.ConfigTemplates;
import io.lakestream.testing.EmbeddedKafkaExtension;
import io.lakestream.testing.LakestreamEnv;
import io.lakestream.testing.MotoExtension;
import io.lakestream.testing.MotoServer;
import io.lakestream.testing.TopicRecords;
import io.lakestream.testing.Hmac;
import io.micrometer.core.instrument.Counter;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
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
 * {@code config/claims-protected.yaml} on a real (shared) broker and moto (S3, Glue catalog, Glue Schema Registry): two
 * instances share the partitions, then one restarts and a second batch runs. No clear-text account id, claim id or
 * adjuster name appears in any object of the bucket, any record (key, value, header) of any topic lakestream wrote,
 * the broker's log segment files, or any log event at TRACE; every landed account id is the HMAC of its source
 * record's account id, so the hashes are the same on both instances and after the restart; the alert topic holds
 * exactly the claims above the threshold.
 */
@ExtendWith({EmbeddedKafkaExtension.class, MotoExtension.class})
class ProtectedClaimsIT {

    private static final String RAW = "protected.claims.raw";
    private static final String PIPELINE = "protected";
    private static final String APP_ID = "protected-it";
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
    void shouldKeepEveryProtectedValueOutOfTheLakeTopicsAndLogsWithStableHashes(EmbeddedKafka kafka, MotoServer moto)
            throws Exception {
        moto.clients().s3().createBucket(b -> b.bucket(BUCKET));
        List<String> logs;
        Set<String> topicsBefore = topics(kafka);
        kafka.createTopics(3, RAW);
        try (LogCapture capture = LogCapture.everything()) {
            try (AppUnderTest a = AppUnderTest.of(config(kafka, moto, "a"));
                 AppUnderTest b = AppUnderTest.of(config(kafka, moto, "b"))) {
                // Both instances normalize: b has joined and taken raw partitions before the input arrives.
                awaitNormalizeTasks(a.start(), b.start());
                produce(kafka, 0, 300);
                CompletableFuture.allOf(CompletableFuture.runAsync(() -> await(a.app())),
                        CompletableFuture.runAsync(() -> await(b.app()))).get();
                assertThat(recordsIn(a.metrics())).as("instance a normalized records").isPositive();
                assertThat(recordsIn(b.metrics())).as("instance b normalized records").isPositive();
            }
            try (AppUnderTest again = AppUnderTest.of(config(kafka, moto, "a"))) {
                again.start();
                produce(kafka, 300, 150);
                again.app().awaitCaughtUp(Duration.ofMinutes(2));
            }
            // The application's log events: its own threads (stream threads and their clients, named after the
            // application id) and lakestream's classes; not the broker's nor this test's producer, which handle the
            // raw topic's clear values by design.
            logs = capture.events().stream()
                    .filter(e -> e.getThreadName().contains(APP_ID) || e.getLoggerName().startsWith("io.lakestream"))
                    .map(e -> e.getThreadName() + " " + LogCapture.render(e)).toList();
        }
        // The broker is shared: the topics lakestream wrote are those that appeared while it ran (the raw one aside).
        Set<String> written = new HashSet<>(topics(kafka));
        written.removeAll(topicsBefore);
        written.remove(RAW);
        List<byte[]> bytesWritten = new ArrayList<>();
        Map<String, List<ConsumerRecord<byte[], byte[]>>> byTopic = new HashMap<>();
        for (String topic : written) {
            byTopic.put(topic, TopicRecords.readAll(kafka.bootstrapServers(), topic));
            byTopic.get(topic).forEach(r -> bytesWritten.add(bytes(r)));
        }
        bytesWritten.addAll(segmentFiles(kafka.logDir(), written));
        Map<String, byte[]> objects = bucket(moto.clients().s3());
        bytesWritten.addAll(objects.values());
        objects.keySet().forEach(k -> bytesWritten.add(k.getBytes(StandardCharsets.UTF_8)));
        bytesWritten.add(String.join("\n", logs).getBytes(StandardCharsets.UTF_8));

        // The search can fail: the lake, the topics and the logs are there, and the hashes are found.
        assertThat(objects.keySet()).anyMatch(k -> k.startsWith("lakestream/claims/"));
        assertThat(byTopic.get(PIPELINE + ".normalized")).hasSize(accountBySource.size());
        assertThat(logs).anyMatch(l -> l.contains("Normalized record")).anyMatch(l -> l.contains("Dead letter"));
        String hashed = Hmac.hex(SECRET, "ACCT-CLEAR-1003");
        // One text of every byte written (ISO-8859-1 maps each byte to one char), searched with String.indexOf.
        StringBuilder all = new StringBuilder();
        bytesWritten.forEach(w -> all.append(new String(w, StandardCharsets.ISO_8859_1)).append('\n'));
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
        List<ConsumerRecord<byte[], byte[]>> alerts = byTopic.get(PIPELINE + ".alerts");
        assertThat(alerts).hasSize(largeClaims.size()).allSatisfy(r ->
                assertThat(TopicRecords.header(r, "lakestream.alert.rule")).isEqualTo("large_claim"));
        for (String claimId : largeClaims) {
            String hashedId = Hmac.base64(SECRET, claimId);
            assertThat(alerts).as("alert of %s", claimId)
                    .filteredOn(r -> ProtectedTopologyTest.contains(r.value(), hashedId)).hasSize(1);
        }
    }

    private static Set<String> topics(EmbeddedKafka kafka) throws Exception {
        try (Admin admin = kafka.admin()) {
            return admin.listTopics().names().get();
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
                assertThat(row.get("account_id").asText()).isEqualTo(Hmac.hex(SECRET, account));
                assertThat(row.has("policy")).isFalse();
                hashesByAccount.computeIfAbsent(account, k -> new HashSet<>()).add(row.get("account_id").asText());
            }
        }
        assertThat(landed).isEqualTo(accountBySource.keySet());
        assertThat(hashesByAccount).hasSize(7).allSatisfy((account, hashes) -> assertThat(hashes).hasSize(1));
    }

    /**
     * {@code config/claims-protected.yaml} on topics of its own, as JSON Lines into S3 + Glue at moto, with
     * lakestream's producers uncompressed so that segment files show values, and a short session for the restart.
     */
    private LakestreamConfig config(EmbeddedKafka kafka, MotoServer moto, String instance) throws IOException {
        String yaml = ConfigTemplates.shortSession(ConfigTemplates.claims(Path.of("config/claims-protected.yaml"),
                RAW, PIPELINE)).replace("\nkafka:\n", "\nkafka:\n  producer.compression.type: none\n");
        return LakestreamEnv.of(kafka.bootstrapServers(), APP_ID, tmp.resolve("state-" + instance))
                .aws(moto, BUCKET).with("LAKE_FORMAT", "jsonl").with("CLAIMS_HASH_SECRET", SECRET)
                .parse(yaml, Path.of("config"));
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

    /**
     * Every file of the partitions of {@code topics} and of the broker's internal topics (offsets, transactions,
     * metadata) in its log dirs: not the raw topic (which holds the clear input) nor other tests' topics.
     */
    private static List<byte[]> segmentFiles(Path logDir, Set<String> topics) throws IOException {
        List<byte[]> out = new ArrayList<>();
        // Partition directories, then their files: a walk of the whole log dir stats the broker's checkpoint
        // temporaries, which it renames away at any moment (NoSuchFileException mid-walk).
        try (Stream<Path> dirs = Files.list(logDir)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                String partition = dir.getFileName().toString();
                String topic = partition.substring(0, Math.max(0, partition.lastIndexOf('-')));
                if (!topics.contains(topic) && !topic.startsWith("__")) {
                    continue;
                }
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        // .log holds the records; index files are offsets only (and preallocated to 10 MiB each).
                        if (!f.toString().endsWith(".index") && !f.toString().endsWith(".timeindex")) {
                            try {
                                out.add(Files.readAllBytes(f));
                            } catch (java.nio.file.NoSuchFileException renamedAway) {
                                // a checkpoint temporary the broker has just renamed: its content is in the new name
                            }
                        }
                    }
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

}
