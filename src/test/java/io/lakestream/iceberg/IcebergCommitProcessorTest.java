package io.lakestream.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.TableFormatConfig;
import io.lakestream.local.LocalObjectStore;
import io.lakestream.sink.LandingEvent;
import io.lakestream.window.DrainSignal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committer sub-topology through TopologyTestDriver, against the embedded SQLite catalog. */
class IcebergCommitProcessorTest {

    private static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final int MAX_PER_COMMIT = 2;

    @TempDir
    Path lake;
    private IcebergCatalogs.Opened catalog;
    private TopologyTestDriver driver;
    private TestInputTopic<String, String> landings;
    private final AtomicInteger failuresToInject = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
    private final DrainSignal drain = new DrainSignal();

    @BeforeEach
    void start() {
        catalog = IcebergCatalogs.local(lake);
        LakestreamConfig base = ConfigLoader.load(Path.of("config/claims.yaml"), Map.of("LAKE_TABLE_FORMAT",
                "iceberg", "GLUE_DATABASE", IcebergFixtures.DATABASE));
        LakestreamConfig cfg = new LakestreamConfig(base.application(), base.kafka(), base.registry(), base.lake(),
                base.catalog(), base.http(), base.pipelines(), IcebergFixtures.formats(IcebergFixtures.hour()));
        StreamsBuilder builder = new StreamsBuilder();
        IcebergCatalogs.Opened flaky = new IcebergCatalogs.Opened(new FailingCatalog(catalog.catalog(),
                failuresToInject), catalog.io());
        IcebergCommitStage.add(builder, cfg, new LocalObjectStore(lake), () -> flaky, drain, clock::get,
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), MAX_PER_COMMIT);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "committer-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, lake.resolve("state").toString());
        java.time.Instant start = java.time.Instant.parse("2024-05-01T12:00:00Z");
        clock.set(start.toEpochMilli());
        driver = new TopologyTestDriver(builder.build(), props, start);
        landings = driver.createInputTopic(cfg.landingsTopic(), new StringSerializer(), new StringSerializer());
        assertThat(cfg.tableFormats().commitInterval()).isEqualTo(TableFormatConfig.DEFAULT_COMMIT_INTERVAL);
    }

    @AfterEach
    void stop() throws Exception {
        driver.close();
        catalog.close();
    }

    private List<Snapshot> snapshots() {
        if (!catalog.catalog().tableExists(TableIdentifier.of(IcebergFixtures.DATABASE, IcebergFixtures.TABLE))) {
            return List.of();
        }
        Table table = catalog.catalog().loadTable(TableIdentifier.of(IcebergFixtures.DATABASE, IcebergFixtures.TABLE));
        List<Snapshot> out = new ArrayList<>();
        table.snapshots().forEach(out::add);
        return out;
    }

    /** Moves the driver's wall clock and the committer's clock together. */
    private void advance(Duration d) {
        clock.addAndGet(d.toMillis());
        driver.advanceWallClockTime(d);
    }

    private void land(long first, long last) {
        LandingEvent event = IcebergFixtures.land(lake, IcebergFixtures.V1, first, last);
        landings.pipeInput(IcebergFixtures.TABLE, event.toJson());
    }

    @Test
    void shouldCommitEachTableAtMostOncePerCommitInterval() {
        land(0, 4);
        land(5, 9);
        advance(INTERVAL.minusSeconds(3));
        assertThat(snapshots()).as("nothing before the interval has passed").isEmpty();

        advance(Duration.ofSeconds(3));
        assertThat(snapshots()).as("both files in one append").singleElement()
                .satisfies(s -> assertThat(s.summary()).containsEntry("added-data-files", "2"));

        land(10, 14);
        advance(INTERVAL.dividedBy(2));
        assertThat(snapshots()).hasSize(1);
        advance(INTERVAL.dividedBy(2));
        assertThat(snapshots()).hasSize(2);
        advance(INTERVAL.multipliedBy(3));
        assertThat(snapshots()).as("no empty commits").hasSize(2);
    }

    @Test
    void shouldCommitABacklogAFewFilesAtATimeOldestFirstOneCommitPerInterval() {
        for (int i = 0; i < 5; i++) {
            land(i * 5L, i * 5L + 4);
        }
        advance(INTERVAL);
        assertThat(snapshots()).singleElement().satisfies(s -> assertThat(s.summary())
                .containsEntry("added-data-files", "2").containsEntry(IcebergCommitter.LANDINGS_OFFSETS, "0:1"));
        assertThat(drain.buffering(DrainSignal.Stage.COMMITS)).as("the rest still pending").isEqualTo(1);

        advance(INTERVAL);
        advance(INTERVAL);
        assertThat(snapshots()).extracting(s -> s.summary().get("added-data-files")).containsExactly("2", "2", "1");
        assertThat(snapshots().get(2).summary()).containsEntry(IcebergCommitter.LANDINGS_OFFSETS, "0:4")
                .containsEntry("total-records", "25");
        assertThat(drain.buffering(DrainSignal.Stage.COMMITS)).isZero();
    }

    @Test
    void shouldKeepLandingsPendingWhenACommitFailsAndCommitThemOnceLater() {
        land(0, 4);
        failuresToInject.set(1);
        advance(INTERVAL);
        assertThat(snapshots()).isEmpty();

        land(0, 4); // a replayed flush announces the same file again
        advance(INTERVAL);
        assertThat(snapshots()).singleElement()
                .satisfies(s -> assertThat(s.summary()).containsEntry("added-data-files", "1")
                        .containsEntry("added-records", "5"));
    }

    @Test
    void shouldTellTheDrainWhileLandedFilesAwaitTheirCommit() {
        assertThat(drain.buffering(DrainSignal.Stage.COMMITS)).as("nothing landed").isZero();
        land(0, 4);
        assertThat(drain.buffering(DrainSignal.Stage.COMMITS)).as("a landed file is pending").isEqualTo(1);
        advance(INTERVAL.dividedBy(2));
        assertThat(snapshots()).as("a drain does not commit before the interval").isEmpty();
        assertThat(drain.buffering(DrainSignal.Stage.COMMITS)).isEqualTo(1);

        advance(INTERVAL.dividedBy(2));
        assertThat(snapshots()).singleElement();
        assertThat(drain.buffering(DrainSignal.Stage.COMMITS)).as("nothing pending after the commit").isZero();

        land(5, 9);
        failuresToInject.set(1);
        advance(INTERVAL);
        assertThat(drain.buffering(DrainSignal.Stage.COMMITS)).as("a failed commit stays pending").isEqualTo(1);
        advance(INTERVAL);
        assertThat(snapshots()).as("retried at the next interval").hasSize(2);
        assertThat(drain.buffering(DrainSignal.Stage.COMMITS)).isZero();
    }
}
