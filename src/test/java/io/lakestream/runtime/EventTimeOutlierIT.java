package io.lakestream.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.LakestreamConfig;
import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.port.Ports;
import io.lakestream.testing.AppUnderTest;
import io.lakestream.testing.ConfigTemplates;
import io.lakestream.testing.DeadLetters;
import io.lakestream.testing.DuckLake;
import io.lakestream.testing.EmbeddedKafkaExtension;
import io.lakestream.testing.LakestreamEnv;
import io.lakestream.testing.RawProducer;
import io.lakestream.testing.RawProducer.Raw;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One claim dated 2204 among 4,000 in a one-partition topic: it goes to the DLQ as EVENT_TIME_OUT_OF_BOUNDS and the
 * other 3,999 land on time (none flagged late, no 2204 partition), with exact aggregates. Before the bound, the
 * outlier moved the partition's watermark by centuries and every claim after it was late.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class EventTimeOutlierIT {

    private static final String RAW = "outlier.claims.raw";
    private static final long T0 = Instant.parse("2024-05-01T10:00:00Z").toEpochMilli();
    private static final int CLAIMS = 4_000;
    private static final int OUTLIER = 1_000;
    private static final long WINDOW = 100_000;

    @TempDir
    Path tmp;

    @Test
    void shouldDeadLetterTheClaimDated2204AndLandTheOther3999OnTimeWithExactAggregates(EmbeddedKafka kafka)
            throws Exception {
        kafka.createTopics(1, RAW);
        landWithOutlier(kafka, RAW, "outlier", null);
    }

    /**
     * The same claim whose producer also set CreateTime 2204, which the raw topic accepts: judged against its own
     * Kafka timestamp it was within bounds, went to the normalized topic with that timestamp, the broker refused
     * the batch ({@code message.timestamp.after.max.ms}, one hour by default) and the stream thread died at the same
     * offset on every restart. The Kafka timestamp is now read as the wall clock when it is ahead of it.
     */
    @Test
    void shouldDeadLetterTheClaimDated2204WhoseKafkaTimestampIsAlso2204WithoutStoppingThePartition(
            EmbeddedKafka kafka) throws Exception {
        String raw = "outlier2204.claims.raw";
        kafka.createTopics(List.of(new NewTopic(raw, 1, (short) 1).configs(Map.of(
                "message.timestamp.after.max.ms", Long.toString(Long.MAX_VALUE)))));
        landWithOutlier(kafka, raw, "outlier2204", Instant.parse("2204-05-01T10:00:00Z").toEpochMilli());
    }

    /** @param outlierKafkaTimestamp CreateTime of the outlier claim; null: the producer's clock */
    private void landWithOutlier(EmbeddedKafka kafka, String topic, String pipeline, Long outlierKafkaTimestamp)
            throws Exception {
        LakestreamConfig cfg = LakestreamEnv.inFolder(kafka.bootstrapServers(), pipeline + "-it", tmp)
                .parse(ConfigTemplates.claims(Path.of("config/claims.yaml"), topic, pipeline), Path.of("config"));
        List<Raw> raw = new ArrayList<>();
        Map<String, List<BigDecimal>> expected = new TreeMap<>();
        for (int i = 0; i < CLAIMS; i++) {
            long ts = T0 + i * 250L; // 1,000 s of event time: ten 100 s windows, in order
            String account = "A-" + (i % 7);
            String amount = (i % 500) + "." + String.format("%02d", i % 100);
            String when = i == OUTLIER ? "2204-05-01T10:00:00Z" : Instant.ofEpochMilli(ts).toString();
            raw.add(new Raw(account.getBytes(StandardCharsets.UTF_8), ("{\"account\": {\"id\": \"" + account
                    + "\"}, \"claimId\": \"C-" + i + "\", \"amount\": " + amount + ", \"currency\": \"EUR\","
                    + " \"status\": \"OPEN\", \"claimTs\": \"" + when + "\"}").getBytes(StandardCharsets.UTF_8)));
            if (i != OUTLIER) {
                expected.computeIfAbsent(account + "@" + Math.floorDiv(ts, WINDOW) * WINDOW, k -> new ArrayList<>())
                        .add(new BigDecimal(amount));
            }
        }
        if (outlierKafkaTimestamp == null) {
            RawProducer.send(kafka.bootstrapServers(), topic, raw);
        } else {
            sendWithTimestamp(kafka, topic, raw, outlierKafkaTimestamp);
        }

        AppUnderTest.runUntilCaughtUp(cfg, Duration.ofMinutes(3));

        List<DeadLetters.Letter> letters = DeadLetters.read(kafka.bootstrapServers(), pipeline + ".dlq");
        assertThat(letters).extracting(DeadLetters.Letter::source, DeadLetters.Letter::errorClass)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("0:" + OUTLIER, "EVENT_TIME_OUT_OF_BOUNDS"));

        DuckLake lake = DuckLake.download(PortsFactory.store(cfg), "lakestream/");
        assertThat(PortsFactory.store(cfg).list("lakestream/")).noneMatch(k -> k.contains("dt=2204"));
        Map<String, Object> rows = lake.query("SELECT count(*) AS n, count(DISTINCT _source_offset) AS offsets,"
                + " sum(CASE WHEN _late THEN 1 ELSE 0 END) AS late FROM read_parquet("
                + "'{lake}/lakestream/claims/**/*.parquet', hive_partitioning=true)").get(0);
        assertThat(((Number) rows.get("n")).longValue()).as("rows").isEqualTo(CLAIMS - 1);
        assertThat(((Number) rows.get("offsets")).longValue()).as("distinct source offsets").isEqualTo(CLAIMS - 1);
        assertThat(((Number) rows.get("late")).longValue()).as("claims flagged late").isZero();

        Map<String, String> landed = new TreeMap<>();
        for (Map<String, Object> r : lake.query("SELECT account_id, epoch_ms(window_start) AS ws, claim_count,"
                + " CAST(amount_total AS VARCHAR) AS total FROM read_parquet("
                + "'{lake}/lakestream/claims_by_account/**/*.parquet', hive_partitioning=true)")) {
            assertThat(landed.put(r.get("account_id") + "@" + r.get("ws"), r.get("claim_count") + " "
                    + r.get("total"))).as("one aggregate row per (account, window)").isNull();
        }
        Map<String, String> reference = new TreeMap<>();
        expected.forEach((k, amounts) -> reference.put(k, amounts.size() + " "
                + amounts.stream().reduce(BigDecimal.ZERO, BigDecimal::add).setScale(2).toPlainString()));
        assertThat(landed).isEqualTo(reference);
    }

    private static void sendWithTimestamp(EmbeddedKafka kafka, String topic, List<Raw> raw, long outlierTimestamp)
            throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < raw.size(); i++) {
                producer.send(new ProducerRecord<>(topic, 0, i == OUTLIER ? outlierTimestamp : null, raw.get(i).key(),
                        raw.get(i).value()));
            }
            producer.flush();
        }
    }
}
