package io.lakestream.runtime;

import io.lakestream.demo.TopicReader;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.LakestreamConfig;
import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.port.ObjectStore;
import io.lakestream.testing.AppUnderTest;
import io.lakestream.testing.ConfigTemplates;
import io.lakestream.testing.DeadLetters;
import io.lakestream.testing.DuckLake;
import io.lakestream.testing.EmbeddedKafkaExtension;
import io.lakestream.testing.LakestreamEnv;
import io.lakestream.testing.RawProducer;
import io.lakestream.testing.RawProducer.Raw;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records larger than Kafka's default 1 MiB on a raw topic that allows 20 MB: a 5 MB and a 1 MiB − 10 B malformed
 * record and a valid 2 MB claim, then ordinary claims. With the default limits of the pipeline's own topics, the
 * three reach the DLQ, their bytes kept whole in the lake under {@code _dead_letters/}; with raised limits they go
 * through as they are. In both cases every ordinary claim lands: no record stops the partition.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class OversizedRecordsIT {

    private static final int RAW_LIMIT = 20_000_000;
    private static final int RAISED = 8 << 20;
    private static final int ORDINARY = 100;
    private static final long T0 = Instant.parse("2024-05-01T10:00:00Z").toEpochMilli();

    @TempDir
    Path tmp;

    @Test
    void shouldKeepTheBytesOfOversizedRecordsInTheLakeBehindDlqPointersWithDefaultTopicLimits(EmbeddedKafka kafka)
            throws Exception {
        String name = "oversize-default";
        List<Raw> big = bigRecords();
        LakestreamConfig cfg = run(kafka, name, "", big);

        List<ConsumerRecord<byte[], byte[]>> letters = DeadLetters.committed(kafka.bootstrapServers(), name + ".dlq");
        assertThat(letters).extracting(r -> TopicReader.header(r, "lakestream.error.class"))
                .containsExactly("MALFORMED_JSON", "MALFORMED_JSON", "OUTPUT_TOO_LARGE");
        ObjectStore store = PortsFactory.store(cfg);
        for (int i = 0; i < letters.size(); i++) {
            ConsumerRecord<byte[], byte[]> letter = letters.get(i);
            String object = TopicReader.header(letter, "lakestream.payload.object");
            assertThat(letter.value()).as("letter %s carries a pointer, not the bytes", i).isNull();
            assertThat(object).isEqualTo("lakestream/_dead_letters/" + name + "/" + name + ".raw/0/" + i + ".value");
            assertThat(Arrays.equals(store.read(object), big.get(i).value())).as("object %s holds the original bytes",
                    object).isTrue();
            assertThat(TopicReader.header(letter, "lakestream.payload.bytes"))
                    .isEqualTo(Integer.toString(big.get(i).value().length));
            assertThat(TopicReader.header(letter, "lakestream.payload.reason"))
                    .contains("the DLQ topic " + name + ".dlq accepts");
        }
        assertThat(landedClaims(cfg)).isEqualTo(ORDINARY);
    }

    @Test
    void shouldPassOversizedRecordsThroughAsTheyAreWhenTheTopicLimitsAreRaised(EmbeddedKafka kafka) throws Exception {
        String name = "oversize-raised";
        Map<String, String> raised = Map.of("max.message.bytes", Integer.toString(RAISED + 1024));
        kafka.createTopics(List.of(new NewTopic(name + ".dlq", 1, (short) 1).configs(raised),
                new NewTopic(name + ".normalized", 1, (short) 1).configs(raised)));
        List<Raw> big = bigRecords();
        LakestreamConfig cfg = run(kafka, name, "  max.request.size: \"" + RAISED + "\"\n", big);

        List<ConsumerRecord<byte[], byte[]>> letters = DeadLetters.committed(kafka.bootstrapServers(), name + ".dlq");
        assertThat(letters).hasSize(2).allSatisfy(r -> assertThat(r.headers()
                .lastHeader("lakestream.payload.object")).isNull());
        assertThat(Arrays.equals(letters.get(0).value(), big.get(0).value())).isTrue();
        assertThat(Arrays.equals(letters.get(1).value(), big.get(1).value())).isTrue();
        assertThat(PortsFactory.store(cfg).list("lakestream/_dead_letters/")).isEmpty();
        assertThat(landedClaims(cfg)).as("the 2 MB claim lands too").isEqualTo(ORDINARY + 1);
    }

    /** 5 MB and 1 MiB − 10 B of malformed JSON, and a valid claim whose adjuster name has 2 MB. */
    private static List<Raw> bigRecords() {
        byte[] fiveMb = new byte[5_000_000];
        Arrays.fill(fiveMb, (byte) 'x');
        byte[] underOneMib = new byte[(1 << 20) - 10];
        Arrays.fill(underOneMib, (byte) 'y');
        return List.of(new Raw("a".getBytes(UTF_8), fiveMb), new Raw("b".getBytes(UTF_8), underOneMib),
                new Raw("c".getBytes(UTF_8), claim(-1, "z".repeat(2_000_000))));
    }

    private LakestreamConfig run(EmbeddedKafka kafka, String name, String kafkaExtra, List<Raw> big)
            throws Exception {
        String raw = name + ".raw";
        kafka.createTopics(List.of(new NewTopic(raw, 1, (short) 1)
                .configs(Map.of("max.message.bytes", Integer.toString(RAW_LIMIT)))));
        String yaml = ConfigTemplates.claims(Path.of("config/claims.yaml"), raw, name)
                .replace("kafka:\n", "kafka:\n" + kafkaExtra)
                .replace("    landing: {", "    limits: { max-record-bytes: 8MiB }\n    landing: {");
        LakestreamConfig cfg = LakestreamEnv.inFolder(kafka.bootstrapServers(), name, tmp)
                .parse(yaml, Path.of("config"));
        List<Raw> records = new ArrayList<>(big);
        for (int i = 0; i < ORDINARY; i++) {
            records.add(new Raw(("k" + i).getBytes(UTF_8), claim(i, "Ann")));
        }
        RawProducer.send(kafka.bootstrapServers(), raw, records, RAW_LIMIT + 1024);

        AppUnderTest.runUntilCaughtUp(cfg, Duration.ofMinutes(3));
        return cfg;
    }

    private static long landedClaims(LakestreamConfig cfg) {
        DuckLake lake = DuckLake.download(PortsFactory.store(cfg), "lakestream/claims/");
        return ((Number) lake.query("SELECT count(DISTINCT _source_offset) AS n FROM read_parquet("
                + "'{lake}/lakestream/claims/**/*.parquet', hive_partitioning=true)").get(0).get("n")).longValue();
    }

    private static byte[] claim(int i, String adjuster) {
        return ("{\"account\": {\"id\": \"A-" + (i & 3) + "\"}, \"claimId\": \"C-" + i + "\", \"amount\": 10.50,"
                + " \"currency\": \"EUR\", \"status\": \"OPEN\", \"claimTs\": \""
                + Instant.ofEpochMilli(T0 + Math.max(i, 0) * 1000L) + "\", \"adjuster\": {\"name\": \"" + adjuster
                + "\"}}").getBytes(UTF_8);
    }
}
