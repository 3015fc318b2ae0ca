package io.lakestream.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.testing.ConfigTemplates;
import io.lakestream.testing.EmbeddedKafkaExtension;
import io.lakestream.testing.LakestreamEnv;
import io.lakestream.testing.TopicRecords;
import io.lakestream.testing.Hmac;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alert rules under exactly-once across a {@code kill -9}: {@code config/claims-protected.yaml} runs as a separate
 * JVM and is killed while claims still stream in, with input read but not committed (the group's lag after the kill
 * is asserted positive, so alerts of that input were written in a transaction the kill aborted), then restarted as a
 * scheduled run ({@code --until-caught-up}). The alert topic (read committed) holds every claim above the threshold
 * exactly once, found by its hashed claim id, and the lake (DuckDB) every claim once.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class AlertsAfterKillIT {

    private static final String RAW = "alerts-kill.raw";
    private static final String PIPELINE = "killed";
    private static final String APP_ID = "alerts-kill";
    private static final String SECRET = "6b696c6c2d746573742d686d61632d6b65792d6f662d33322d62797465732121";
    private static final Instant T0 = Instant.parse("2024-05-01T10:45:00Z");
    private static final int BEFORE = 2000;
    private static final int DURING = 3000;

    @TempDir
    Path tmp;

    @Test
    void shouldCopyEveryMatchingClaimOnceAndLandEveryClaimOnceAcrossAKillWithUncommittedAlerts(EmbeddedKafka kafka)
            throws Exception {
        kafka.createTopics(3, RAW);
        String yaml = ConfigTemplates.shortSession(ConfigTemplates.claims(Path.of("config/claims-protected.yaml"),
                RAW, PIPELINE));
        Path config = LakestreamEnv.inFolder(kafka.bootstrapServers(), APP_ID, tmp).with("CLAIMS_HASH_SECRET", SECRET)
                .writeClaimsConfig(yaml, tmp);
        List<String> expected = java.util.Collections.synchronizedList(new ArrayList<>());
        produce(kafka, 0, BEFORE, expected, 0);
        long lagAfterKill;
        try (AppProcess app = new AppProcess("alerts-app", config, tmp)) {
            app.start();
            assertThat(app.awaitLine(Pattern.compile("wrote lakestream/claims/"), Duration.ofMinutes(2)))
                    .as("an object landed before the kill").isNotNull();
            // Claims keep arriving (one every 2 ms) while the instance is killed mid-stream.
            java.util.concurrent.CompletableFuture<Void> during = java.util.concurrent.CompletableFuture
                    .runAsync(() -> {
                        try {
                            produce(kafka, BEFORE, DURING, expected, 2);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
            Thread.sleep(2_000);
            app.kill();
            lagAfterKill = lag(kafka);
            during.get(2, java.util.concurrent.TimeUnit.MINUTES);
            app.start("--until-caught-up", "--timeout", "10m");
            assertThat(app.waitForExit(Duration.ofMinutes(11))).isTrue();
            assertThat(app.exitCode()).as("caught up after the restart").isZero();
        }
        assertThat(lagAfterKill).as("input read but not committed when the instance was killed").isPositive();

        List<ConsumerRecord<byte[], byte[]>> alerts = TopicRecords.readAll(kafka.bootstrapServers(),
                PIPELINE + ".alerts");
        assertThat(expected).hasSizeGreaterThan(300);
        assertThat(alerts).hasSize(expected.size());
        for (String hashedClaimId : expected) {
            byte[] needle = hashedClaimId.getBytes(StandardCharsets.UTF_8);
            assertThat(alerts).as("alert of %s", hashedClaimId)
                    .filteredOn(r -> new String(r.value(), StandardCharsets.ISO_8859_1)
                            .contains(new String(needle, StandardCharsets.ISO_8859_1))).hasSize(1);
        }
        Map<String, Object> lake = io.lakestream.testing.DuckLake.at(tmp.resolve("lake")).query(
                "SELECT count(*) AS n, count(DISTINCT claim_id) AS ids FROM read_parquet("
                        + "'{lake}/lakestream/claims/**/*.parquet')").get(0);
        assertThat(((Number) lake.get("n")).longValue()).as("rows in the lake").isEqualTo(BEFORE + DURING);
        assertThat(((Number) lake.get("ids")).longValue()).as("claims in the lake").isEqualTo(BEFORE + DURING);
    }

    /** Records of the raw topic the application's group has not committed. */
    private static long lag(EmbeddedKafka kafka) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = kafka.admin()) {
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed
                    = admin.listConsumerGroupOffsets(APP_ID).partitionsToOffsetAndMetadata().get();
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest =
                    new java.util.HashMap<>();
            for (int p = 0; p < 3; p++) {
                latest.put(new org.apache.kafka.common.TopicPartition(RAW, p),
                        org.apache.kafka.clients.admin.OffsetSpec.latest());
            }
            long lag = 0;
            for (var e : admin.listOffsets(latest).all().get().entrySet()) {
                var c = committed.get(e.getKey());
                lag += e.getValue().offset() - (c == null ? 0 : c.offset());
            }
            return lag;
        }
    }

    /**
     * Claims over every partition, {@code pauseMillis} apart; one in 13 above 1,000,000 (their hashed claim ids go to
     * {@code expected}).
     */
    private static void produce(EmbeddedKafka kafka, int from, int count, List<String> expected, long pauseMillis)
            throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            for (int i = from; i < from + count; i++) {
                String claimId = "C-" + i;
                boolean large = i % 13 == 5;
                String json = "{\"account\":{\"id\":\"A-" + i % 11 + "\"},\"claimId\":\"" + claimId
                        + "\",\"amount\":\"" + (large ? "1000000.01" : (i % 977) + ".10") + "\",\"currency\":\"EUR\","
                        + "\"status\":\"OPEN\",\"claimTs\":\"" + T0.plusSeconds(i) + "\"}";
                producer.send(new ProducerRecord<>(RAW, i % 3, null, json));
                if (pauseMillis > 0) {
                    Thread.sleep(pauseMillis);
                }
                if (large) {
                    expected.add(Hmac.base64(SECRET, claimId));
                }
            }
            producer.flush();
        }
    }
}
