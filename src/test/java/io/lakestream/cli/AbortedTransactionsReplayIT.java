package io.lakestream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.testing.AppUnderTest;
import io.lakestream.testing.ConfigTemplates;
import io.lakestream.testing.DuckLake;
import io.lakestream.testing.EmbeddedKafkaExtension;
import io.lakestream.testing.LakestreamEnv;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A raw topic written by a transactional producer that aborts every other batch of 50 claims, all in one 100 s
 * window: the service consumes the first batches and stops with the window open; more committed and aborted batches
 * arrive; the next {@code run --until-caught-up} rebuilds the window by re-reading its offset range (aborted records
 * and transaction markers in it) and lands it. Read back with DuckDB, the records table holds exactly the committed
 * offsets, each once, and the aggregates count exactly the committed claims.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class AbortedTransactionsReplayIT {

    private static final String RAW = "aborted.claims.raw";
    private static final long T0 = Instant.parse("2024-05-01T10:00:00Z").toEpochMilli();
    private static final int BATCH = 50;

    @TempDir
    Path tmp;

    private int sent;

    @Test
    void shouldRebuildAnOpenWindowOverAbortedTransactionsWithExactlyTheCommittedOffsets(EmbeddedKafka kafka)
            throws Exception {
        kafka.createTopics(1, RAW);
        Path config = LakestreamEnv.inFolder(kafka.bootstrapServers(), "aborted-it", tmp)
                .writeClaimsConfig(ConfigTemplates.shortSession(
                        ConfigTemplates.claims(Path.of("config/claims.yaml"), RAW, "aborted")), tmp);
        LakestreamConfig cfg = ConfigLoader.load(config);
        TreeSet<Long> committed = new TreeSet<>();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "aborted-it-producer");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.initTransactions();
            for (int batch = 0; batch < 5; batch++) {
                batch(producer, batch % 2 == 0, committed);
            }
            try (AppUnderTest app = AppUnderTest.of(cfg)) {
                // Consumed means committed, in the transactions that put the open window's first offset in the
                // sink's store.
                app.start().awaitInputConsumed(Duration.ofMinutes(1));
            }
            assertThat(tmp.resolve("lake/lakestream/claims")).as("the window is still open: nothing landed")
                    .doesNotExist();
            for (int batch = 5; batch < 8; batch++) {
                batch(producer, batch % 2 == 1, committed);
            }
        }
        assertThat(committed).hasSize(5 * BATCH);

        CommandOutput run = CommandOutput.run(() -> Main.execute("run", "--config", config.toString(),
                "--until-caught-up", "--timeout", "2m"));

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        DuckLake lake = DuckLake.at(tmp.resolve("lake"));
        TreeSet<Long> landed = new TreeSet<>();
        List<Map<String, Object>> rows = lake.query("SELECT _source_offset AS o FROM read_parquet("
                + "'{lake}/lakestream/claims/**/*.parquet', hive_partitioning=true)");
        rows.forEach(r -> landed.add(((Number) r.get("o")).longValue()));
        assertThat(rows).as("rows, one per committed offset").hasSize(committed.size());
        assertThat(landed).isEqualTo(committed);
        assertThat(((Number) lake.query("SELECT sum(claim_count) AS n FROM read_parquet("
                + "'{lake}/lakestream/claims_by_account/**/*.parquet')").get(0).get("n")).longValue())
                .isEqualTo(committed.size());
    }

    /** One transaction of {@link #BATCH} claims, committed (their offsets added to {@code committed}) or aborted. */
    private void batch(KafkaProducer<byte[], byte[]> producer, boolean commit, TreeSet<Long> committed)
            throws Exception {
        producer.beginTransaction();
        List<Future<RecordMetadata>> offsets = new ArrayList<>();
        for (int i = 0; i < BATCH; i++, sent++) {
            String account = "A-" + sent % 5;
            offsets.add(producer.send(new ProducerRecord<>(RAW, 0, null, account.getBytes(StandardCharsets.UTF_8),
                    ("{\"account\": {\"id\": \"" + account + "\"}, \"claimId\": \"C-" + sent + "\", \"amount\": 12.50,"
                            + " \"currency\": \"EUR\", \"status\": \"OPEN\", \"claimTs\": \""
                            + Instant.ofEpochMilli(T0 + sent * 100L) + "\"}").getBytes(StandardCharsets.UTF_8))));
        }
        producer.flush();
        if (commit) {
            producer.commitTransaction();
            for (Future<RecordMetadata> f : offsets) {
                committed.add(f.get().offset());
            }
        } else {
            producer.abortTransaction();
        }
    }
}
