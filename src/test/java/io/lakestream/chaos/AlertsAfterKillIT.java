package io.lakestream.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.testing.ConfigTemplates;
import io.lakestream.testing.TopicRecords;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alert rules under exactly-once across a {@code kill -9}: {@code config/claims-protected.yaml} runs as a separate
 * JVM, is killed mid-stream once objects are landing, and restarted as a scheduled run ({@code --until-caught-up}).
 * The alert topic (read committed) holds every claim above the threshold exactly once, found by its hashed claim id.
 */
class AlertsAfterKillIT {

    private static final String RAW = "onprem.claims.raw";
    private static final String SECRET = "6b696c6c2d746573742d686d61632d6b65792d6f662d33322d62797465732121";
    private static final Instant T0 = Instant.parse("2024-05-01T10:45:00Z");

    @TempDir
    Path tmp;

    @Test
    void shouldCopyEveryMatchingClaimOnceAcrossAKill() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(3, RAW);
            Path config = config(kafka);
            List<String> expected = new ArrayList<>();
            produce(kafka, 0, 2000, expected);
            try (AppProcess app = new AppProcess("alerts-app", config, tmp)) {
                app.start();
                assertThat(app.awaitLine(Pattern.compile("wrote lakestream/claims/"), Duration.ofMinutes(2)))
                        .as("an object landed before the kill").isNotNull();
                app.kill();
                produce(kafka, 2000, 1000, expected);
                app.start("--until-caught-up", "--timeout", "4m");
                assertThat(app.waitForExit(Duration.ofMinutes(5))).isTrue();
                assertThat(app.exitCode()).as("caught up after the restart").isZero();
            }

            List<ConsumerRecord<byte[], byte[]>> alerts = TopicRecords.readAll(kafka.bootstrapServers(),
                    "claims.alerts");
            assertThat(expected).hasSizeGreaterThan(100);
            assertThat(alerts).hasSize(expected.size());
            for (String hashedClaimId : expected) {
                byte[] needle = hashedClaimId.getBytes(StandardCharsets.UTF_8);
                assertThat(alerts).as("alert of %s", hashedClaimId)
                        .filteredOn(r -> new String(r.value(), StandardCharsets.ISO_8859_1)
                                .contains(new String(needle, StandardCharsets.ISO_8859_1))).hasSize(1);
            }
        }
    }

    private Path config(EmbeddedKafka kafka) throws Exception {
        Files.createDirectories(tmp.resolve("schemas"));
        Files.copy(Path.of("schemas/claim.avsc"), tmp.resolve("schemas/claim.avsc"));
        return ConfigTemplates.render(Path.of("config/claims-protected.yaml"), Map.of(
                "KAFKA_BOOTSTRAP", kafka.bootstrapServers(), "LAKESTREAM_APP_ID", "alerts-kill",
                "LAKESTREAM_STATE_DIR", tmp.resolve("state").toString(), "LAKE_DIR", tmp.resolve("lake").toString(),
                "REGISTRY_DIR", tmp.resolve("registry").toString(), "HTTP_PORT", "0",
                "CLAIMS_HASH_SECRET", SECRET), tmp.resolve("config/claims-protected.yaml"));
    }

    /** Claims over every partition; one in 13 above 1,000,000 (their hashed claim ids go to {@code expected}). */
    private static void produce(EmbeddedKafka kafka, int from, int count, List<String> expected) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(HexFormat.of().parseHex(SECRET), "HmacSHA256"));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            for (int i = from; i < from + count; i++) {
                String claimId = "C-" + i;
                boolean large = i % 13 == 5;
                String json = "{\"account\":{\"id\":\"A-" + i % 11 + "\"},\"claimId\":\"" + claimId
                        + "\",\"amount\":\"" + (large ? "1000000.01" : (i % 977) + ".10") + "\",\"currency\":\"EUR\","
                        + "\"status\":\"OPEN\",\"claimTs\":\"" + T0.plusSeconds(i) + "\"}";
                producer.send(new ProducerRecord<>(RAW, i % 3, null, json));
                if (large) {
                    expected.add(Base64.getEncoder().encodeToString(
                            mac.doFinal(claimId.getBytes(StandardCharsets.UTF_8))));
                }
            }
            producer.flush();
        }
    }
}
