package io.lakestream.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.runtime.LakestreamApp;
import io.lakestream.runtime.PortsFactory;
import io.lakestream.runtime.Schemas;
import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.record.SourceHeader;
import io.lakestream.testing.DeadLetters;
import io.lakestream.testing.DuckLake;
import io.lakestream.testing.EmbeddedKafkaExtension;
import io.lakestream.testing.RawProducer;
import io.lakestream.testing.RawProducer.Raw;
import io.lakestream.testing.TopicRecords;
import io.lakestream.testing.Hmac;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code config/claims-protected.yaml} with its event-time field truncated to the hour (and the aggregation's window
 * 1h, as the config then requires) on a real broker: 400 claims with exact milliseconds over two and a half hours
 * and one dated 2204. Read back independently — the DLQ and the normalized topic with a read_committed consumer, the
 * lake with DuckDB, the object names, the application's captured log — no exact event time appears anywhere (as
 * epoch milliseconds, ISO text, the 8 bytes of a header, or its 100 s window); the rows and the aggregates are those
 * of the truncated times, every claim exactly once.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class TruncatedEventTimeIT {

    private static final String RAW = "truncated.claims.raw";
    private static final String APP = "truncated-it";
    private static final Instant T0 = Instant.parse("2024-05-01T10:45:00Z");
    private static final int CLAIMS = 400;
    private static final int OUTLIER = 200;
    private static final long HOUR = 3_600_000L;

    @TempDir
    Path tmp;

    @Test
    void shouldKeepEveryExactEventTimeOutOfTheDlqTopicsLakeObjectNamesAndLog(EmbeddedKafka kafka) throws Exception {
        kafka.createTopics(1, RAW);
        LakestreamConfig cfg = ConfigLoader.parse(Files.readString(Path.of("config/claims-protected.yaml"))
                        .replace("onprem.claims.raw", RAW)
                        .replace("        policy: drop\n", "        policy: drop\n"
                                + "        claim_ts: { method: truncate-timestamp, to: hour }\n")
                        .replace("window: { size: 100s, grace: 30s }", "window: { size: 1h, grace: 30s }")
                        // Topics of its own on the shared broker: every one of them is searched below.
                        .replace("- name: claims\n", "- name: truncated\n"),
                Path.of("config"), Map.of("KAFKA_BOOTSTRAP", kafka.bootstrapServers(), "LAKESTREAM_APP_ID", APP,
                        "LAKESTREAM_STATE_DIR", tmp.resolve("state").toString(), "REGISTRY_DIR",
                        tmp.resolve("registry").toString(), "LAKE_DIR", tmp.resolve("lake").toString(), "HTTP_PORT",
                        "0", "CLAIMS_HASH_SECRET", ProtectedTopologyTest.SECRET), "claims-protected.yaml");
        List<Raw> raw = new ArrayList<>();
        List<Instant> exact = new ArrayList<>();
        Map<String, Long> expected = new TreeMap<>(); // account@hour -> claims
        for (int i = 0; i < CLAIMS; i++) {
            Instant t = i == OUTLIER ? Instant.parse("2204-05-01T10:17:42.137Z") : T0.plusMillis(22_517L * i + 3);
            String account = "A-" + (i % 5);
            exact.add(t);
            if (i != OUTLIER) {
                expected.merge(account + "@" + Math.floorDiv(t.toEpochMilli(), HOUR) * HOUR, 1L, Long::sum);
            }
            raw.add(new Raw(account.getBytes(StandardCharsets.UTF_8), ProtectedTopologyTest.claim(account, "C-" + i,
                    "10.00", "OPEN", "Adjuster " + i, t).getBytes(StandardCharsets.UTF_8)));
        }
        RawProducer.send(kafka.bootstrapServers(), RAW, raw);

        List<String> logs;
        try (LogCapture capture = LogCapture.everything()) {
            PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            try (LakestreamApp app = new LakestreamApp(cfg, Schemas.load(cfg), PortsFactory.create(cfg, metrics),
                    metrics)) {
                app.start();
                app.awaitCaughtUp(Duration.ofMinutes(3));
            }
            // The application's own threads and classes; not the broker's nor the test producer's, which handle the
            // raw topic's clear values by design.
            logs = capture.events().stream().filter(e -> e.getThreadName().contains(APP)
                    || e.getLoggerName().startsWith("io.lakestream")).map(LogCapture::render).toList();
        }

        // The DLQ: the outlier, its message quoting the hour only.
        List<DeadLetters.Letter> letters = DeadLetters.read(kafka.bootstrapServers(), "truncated.dlq");
        assertThat(letters).extracting(DeadLetters.Letter::source, DeadLetters.Letter::errorClass)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("0:" + OUTLIER, "EVENT_TIME_OUT_OF_BOUNDS"));
        List<ConsumerRecord<byte[], byte[]>> dlq = DeadLetters.committed(kafka.bootstrapServers(), "truncated.dlq");
        assertThat(TopicRecords.header(dlq.get(0), "lakestream.error.message"))
                .startsWith("field claim_ts: event time 2204-05-01T10:00:00Z (truncated to the hour) is more than 1h"
                        + " ahead of the wall clock ");

        // The normalized topic: every source header's event time on the hour, equal to the record's claim_ts hour.
        List<ConsumerRecord<byte[], byte[]>> normalized = TopicRecords.readAll(kafka.bootstrapServers(),
                "truncated.normalized");
        assertThat(normalized).hasSize(CLAIMS - 1).allSatisfy(r -> assertThat(SourceHeader.read(r.headers(),
                List.of(RAW)).eventTime() % HOUR).isZero());

        // The lake, read by DuckDB: every claim once, claim_ts on the hour; aggregates per (account, hour).
        DuckLake lake = DuckLake.at(tmp.resolve("lake"));
        Map<String, Object> rows = lake.query("SELECT count(*) AS n, count(DISTINCT _source_offset) AS offsets,"
                + " sum(CASE WHEN epoch_ms(claim_ts) % 3600000 = 0 THEN 1 ELSE 0 END) AS on_the_hour FROM"
                + " read_parquet('{lake}/lakestream/claims/**/*.parquet', hive_partitioning=true)").get(0);
        assertThat(List.of("n", "offsets", "on_the_hour")).allSatisfy(column ->
                assertThat(((Number) rows.get(column)).longValue()).as(column).isEqualTo(CLAIMS - 1));
        Map<String, Long> landed = new TreeMap<>();
        for (Map<String, Object> r : lake.query("SELECT account_id, epoch_ms(window_start) AS ws,"
                + " epoch_ms(window_end) - epoch_ms(window_start) AS size, claim_count FROM read_parquet("
                + "'{lake}/lakestream/claims_by_account/**/*.parquet', hive_partitioning=true)")) {
            assertThat(((Number) r.get("size")).longValue()).isEqualTo(HOUR);
            landed.merge(r.get("account_id") + "@" + r.get("ws"), ((Number) r.get("claim_count")).longValue(),
                    Long::sum);
        }
        Map<String, Long> reference = new TreeMap<>();
        for (Map.Entry<String, Long> e : expected.entrySet()) {
            String k = e.getKey();
            reference.put(Hmac.hex(ProtectedTopologyTest.SECRET, k.substring(0, k.indexOf('@')))
                    + k.substring(k.indexOf('@')), e.getValue());
        }
        assertThat(landed).isEqualTo(reference);

        // Nothing written carries an exact event time: topics (headers included), objects and their names, logs.
        List<Path> files;
        try (var walk = Files.walk(tmp.resolve("lake"))) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).anyMatch(f -> f.toString().contains("/lakestream/claims_by_account/"));
        assertThat(logs).anyMatch(l -> l.contains("EVENT_TIME_OUT_OF_BOUNDS"));
        StringBuilder all = new StringBuilder();
        for (String topic : kafka.admin().listTopics().names().get()) {
            if (topic.startsWith("truncated.") && !topic.equals(RAW) || topic.startsWith(APP)) {
                TopicRecords.readAll(kafka.bootstrapServers(), topic).forEach(r -> all.append(text(r)).append('\n'));
            }
        }
        for (Path f : files) {
            all.append(f).append('\n').append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
        }
        String logText = String.join("\n", logs);
        String everything = all.append(logText).toString();
        for (Instant t : exact) {
            long millis = t.toEpochMilli();
            List<String> needles = new ArrayList<>(List.of(Long.toString(millis), t.toString().substring(0, 19),
                    new String(ByteBuffer.allocate(8).putLong(millis).array(), StandardCharsets.ISO_8859_1)));
            long window100s = Math.floorDiv(millis, 100_000L) * 100_000L;
            if (window100s % HOUR > 100_000L) { // the window of a truncated time starts on the hour, ends 100 s after
                needles.add(Long.toString(window100s));
            }
            for (String needle : needles) {
                if (logText.contains(needle)) {
                    assertThat(logs).as("log events holding %s", t).filteredOn(l -> l.contains(needle))
                            .map(l -> l.substring(0, Math.min(l.length(), 400))).isEmpty();
                }
                assertThat(everything.indexOf(needle)).as("%s written at", t).isEqualTo(-1);
            }
        }
    }

    private static String text(ConsumerRecord<byte[], byte[]> r) {
        StringBuilder out = new StringBuilder();
        for (byte[] b : new byte[][] {r.key(), r.value()}) {
            out.append(b == null ? "" : new String(b, StandardCharsets.ISO_8859_1)).append('\n');
        }
        for (Header h : r.headers()) {
            out.append(h.key()).append(h.value() == null ? "" : new String(h.value(), StandardCharsets.ISO_8859_1));
        }
        return out.toString();
    }
}
