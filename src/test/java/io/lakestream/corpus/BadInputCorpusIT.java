package io.lakestream.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.aws.S3ObjectStore;
import io.lakestream.config.PipelineConfig;
import io.lakestream.corpus.Corpus.Case;
import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.normalize.NormalizeStage;
import io.lakestream.port.ObjectStore;
import io.lakestream.runtime.LakestreamApp;
import io.lakestream.testing.AppUnderTest;
import io.lakestream.testing.EmbeddedKafkaExtension;
import io.lakestream.testing.LandedOffsets;
import io.lakestream.testing.MotoExtension;
import io.lakestream.testing.MotoServer;
import io.lakestream.testing.RawProducer;
import io.lakestream.testing.RawProducer.Raw;
import io.lakestream.testing.TopicRecords;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.glue.model.Partition;

/**
 * The bad-input corpus through a real broker, the real application, the GSR serde and S3 + Glue on moto, in one run:
 * the DLQ topics hold exactly the bad inputs with their reasons and original bytes, and the lake holds exactly the
 * valid ones. The lake prefix is not ASCII, so object keys with unicode are written, listed and read back too.
 */
@ExtendWith({EmbeddedKafkaExtension.class, MotoExtension.class})
class BadInputCorpusIT {

    private static final String BUCKET = "corpus-it";
    /** Unicode is allowed in lake.prefix (and only there: table, topic and partition names are ASCII). */
    private static final String PREFIX = "läke/データ/";
    private static final Map<String, String> TOPICS = Map.of("json", "corpus.json.raw", "csv", "corpus.csv.raw");

    @TempDir
    Path tmp;

    @Test
    void shouldDeadLetterEveryBadInputWithItsReasonAndLandEveryValidOneUnderAUnicodePrefix(EmbeddedKafka kafka,
            MotoServer moto) throws Exception {
        moto.clients().s3().createBucket(b -> b.bucket(BUCKET));
        // year-9999.json lands like any valid record: the normalized record keeps the raw timestamp, so the
        // broker's limit on future timestamps (1 h since Kafka 4.0) never sees the event time.
        List<Case> cases = Corpus.cases();
        try (AppUnderTest app = AppUnderTest.parse("""
                     application: { id: corpus-it, state-dir: "%s", commit-interval: 200ms }
                     kafka: { bootstrap.servers: "%s" }
                     registry: { type: glue, region: us-east-1, endpoint: "%s" }
                     lake: { store: s3, bucket: %s, prefix: "%s", region: us-east-1, endpoint: "%s" }
                     catalog: { type: glue, database: corpus_lake, region: us-east-1, endpoint: "%s" }
                     http: { port: 0 }
                     """.formatted(tmp, kafka.bootstrapServers(), moto.endpoint(), BUCKET, PREFIX, moto.endpoint(),
                     moto.endpoint()) + Corpus.pipelinesYaml(TOPICS.get("json"), TOPICS.get("csv")), Corpus.DIR)) {
            kafka.createTopics(1, TOPICS.get("json"), TOPICS.get("csv"));
            LakestreamApp running = app.start();

            Map<String, List<String>> validOffsets = new HashMap<>();
            Map<String, Case> badBySource = new HashMap<>();
            for (String pipeline : TOPICS.keySet()) {
                List<Case> ofPipeline = cases.stream().filter(c -> c.pipeline().equals(pipeline)).toList();
                List<String> offsets = RawProducer.send(kafka.bootstrapServers(), TOPICS.get(pipeline),
                        ofPipeline.stream().map(c -> new Raw(c.key(), c.value())).toList());
                for (int i = 0; i < ofPipeline.size(); i++) {
                    Case c = ofPipeline.get(i);
                    if (c.valid()) {
                        validOffsets.computeIfAbsent(pipeline, k -> new ArrayList<>()).add(offsets.get(i));
                    } else {
                        badBySource.put(TOPICS.get(pipeline) + ":" + offsets.get(i), c);
                    }
                }
            }
            running.awaitCaughtUp(Duration.ofMinutes(2));

            Map<String, ConsumerRecord<byte[], byte[]>> dead = new HashMap<>();
            for (PipelineConfig p : app.config().pipelines()) {
                for (ConsumerRecord<byte[], byte[]> r : TopicRecords.readAll(kafka.bootstrapServers(), p.dlqTopic())) {
                    String source = TopicRecords.header(r, NormalizeStage.HEADER_SOURCE_TOPIC) + ":"
                            + TopicRecords.header(r, NormalizeStage.HEADER_SOURCE_PARTITION) + ":"
                            + TopicRecords.header(r, NormalizeStage.HEADER_SOURCE_OFFSET);
                    assertThat(dead.put(source, r)).as("one dead letter per source offset").isNull();
                }
            }
            assertThat(dead.keySet()).isEqualTo(badBySource.keySet());
            dead.forEach((source, r) -> {
                Case c = badBySource.get(source);
                assertThat(TopicRecords.header(r, NormalizeStage.HEADER_ERROR_CLASS)).as(c.toString())
                        .isEqualTo(c.expected());
                assertThat(TopicRecords.header(r, NormalizeStage.HEADER_ERROR_MESSAGE)).as(c.toString())
                        .contains(c.detail());
                assertThat(r.value()).as("%s: original bytes", c).isEqualTo(c.value());
                assertThat(r.key()).as("%s: original key", c).isEqualTo(c.key());
            });

            ObjectStore store = new S3ObjectStore(moto.clients().s3(), BUCKET, S3ObjectStore.Options.defaults());
            LandedOffsets.assertExactlyOnce(store, PREFIX + "corpus_json/", validOffsets.get("json"));
            LandedOffsets.assertExactlyOnce(store, PREFIX + "corpus_csv/", validOffsets.get("csv"));
            assertThat(store.list("")).allMatch(k -> k.startsWith(PREFIX + "corpus_json/dt=")
                    || k.startsWith(PREFIX + "corpus_csv/dt="));
            assertThat(store.list(PREFIX + "corpus_json/dt=1970-01-01/hour=00/")).isNotEmpty();
            List<String> locations = moto.clients().glue().getPartitionsPaginator(r -> r.databaseName("corpus_lake")
                            .tableName("corpus_json")).stream().flatMap(p -> p.partitions().stream())
                    .map(Partition::storageDescriptor).map(sd -> sd.location()).toList();
            assertThat(locations).isNotEmpty()
                    .allMatch(l -> l.startsWith("s3://" + BUCKET + "/" + PREFIX + "corpus_json/dt="));
            assertThat(new String(store.read(store.list(PREFIX).get(0)), 0, 4, StandardCharsets.US_ASCII))
                    .isEqualTo("PAR1");
        }
    }
}
