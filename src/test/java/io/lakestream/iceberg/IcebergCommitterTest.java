package io.lakestream.iceberg;

import static io.lakestream.iceberg.IcebergFixtures.DATABASE;
import static io.lakestream.iceberg.IcebergFixtures.TABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakestream.iceberg.IcebergCommitter.Landing;
import io.lakestream.sink.LandingEvent;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.types.Conversions;
import org.junit.jupiter.api.io.TempDir;

/** The committer against the embedded JDBC catalog on SQLite, reading the table back with Iceberg's reader. */
class IcebergCommitterTest {

    @TempDir
    Path lake;
    private IcebergCatalogs.Opened catalog;
    private IcebergCommitter committer;
    /** Files the committer opened through its file IO: the footers it read. */
    private final java.util.concurrent.atomic.AtomicInteger footerReads = new java.util.concurrent.atomic.AtomicInteger();

    @BeforeEach
    void open() {
        catalog = IcebergCatalogs.local(lake);
        committer = newCommitter();
    }

    @AfterEach
    void close() throws Exception {
        catalog.close();
    }

    private IcebergCommitter newCommitter() {
        return newCommitter(() -> { });
    }

    /** @param onExistenceCheck run at each existence check of a landed file: between a commit's read and write */
    private IcebergCommitter newCommitter(Runnable onExistenceCheck) {
        org.apache.iceberg.io.FileIO io = catalog.io();
        org.apache.iceberg.io.FileIO counting = new org.apache.iceberg.io.FileIO() {
            @Override
            public org.apache.iceberg.io.InputFile newInputFile(String path) {
                org.apache.iceberg.io.InputFile file = io.newInputFile(path);
                // Only reading counts: whether a file exists is a HEAD request, not a footer read.
                return new org.apache.iceberg.io.InputFile() {
                    @Override
                    public long getLength() {
                        return file.getLength();
                    }

                    @Override
                    public org.apache.iceberg.io.SeekableInputStream newStream() {
                        footerReads.incrementAndGet();
                        return file.newStream();
                    }

                    @Override
                    public String location() {
                        return file.location();
                    }

                    @Override
                    public boolean exists() {
                        onExistenceCheck.run();
                        return file.exists();
                    }
                };
            }

            @Override
            public org.apache.iceberg.io.OutputFile newOutputFile(String path) {
                return io.newOutputFile(path);
            }

            @Override
            public void deleteFile(String path) {
                io.deleteFile(path);
            }
        };
        return new IcebergCommitter(catalog.catalog(), counting, DATABASE,
                IcebergFixtures.formats(IcebergFixtures.hour()), t -> IcebergFixtures.tableLocation(lake),
                IcebergFixtures.LANDINGS, IcebergFixtures.health(), attempt -> { });
    }

    /** A committer during whose first commit, between its read of the table and its write, {@code race} runs. */
    private IcebergCommitter racedOnce(java.util.concurrent.atomic.AtomicBoolean raced, Runnable race) {
        return newCommitter(() -> {
            if (raced.compareAndSet(false, true)) {
                race.run();
            }
        });
    }

    private Table table() {
        return catalog.catalog().loadTable(TableIdentifier.of(DATABASE, TABLE));
    }

    private List<Record> rows() {
        return IcebergRows.rows(table());
    }

    @Test
    void shouldCreateTheTableAndCommitOneSnapshotWithExactValuesAndTheLandingsOffsets() throws Exception {
        LandingEvent a = IcebergFixtures.land(lake, IcebergFixtures.V1, 0, 9);
        LandingEvent b = IcebergFixtures.land(lake, IcebergFixtures.V1, 10, 14);

        assertThat(committer.commit(TABLE, List.of(new Landing(2, 40, a), new Landing(2, 41, b)))).isEqualTo(2);

        Table table = table();
        assertThat(table.spec().fields()).singleElement().satisfies(f -> {
            assertThat(f.name()).isEqualTo("claim_ts_hour");
            assertThat(f.transform().toString()).isEqualTo("hour");
        });
        assertThat(table.snapshots()).hasSize(1);
        assertThat(table.currentSnapshot().summary()).containsEntry(IcebergCommitter.LANDINGS_OFFSETS, "2:41")
                .containsEntry("added-data-files", "2").containsEntry("added-records", "15");
        assertThat(table.schema().findType("claim_ts")).isEqualTo(Types.TimestampType.withZone());
        assertThat(table.schema().findType("amount")).isEqualTo(Types.DecimalType.of(12, 2));
        assertThat(table.schema().findType("status")).isEqualTo(Types.StringType.get());
        List<Record> rows = rows();
        assertThat(rows).extracting(r -> r.getField("_source_offset")).containsExactlyInAnyOrder(
                0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L);
        Record seven = rows.stream().filter(r -> r.getField("_source_offset").equals(7L)).findFirst().orElseThrow();
        assertThat(seven.getField("amount")).isEqualTo(new BigDecimal("7.05"));
        assertThat(seven.getField("claim_ts")).isEqualTo(OffsetDateTime.of(2024, 5, 1, 10, 0, 7, 0, ZoneOffset.UTC));
        assertThat(seven.getField("status")).isEqualTo("PAID");
        assertThat(seven.getField("day")).isEqualTo(java.time.LocalDate.of(2024, 5, 1));
        assertThat(seven.getField("tags")).isEqualTo(List.of("t7", "x"));
        assertThat(seven.getField("attrs")).isEqualTo(Map.of("k", 7L));
        assertThat(footerReads).as("footers read: the events carry the files' statistics").hasValue(0);
    }

    @Test
    void shouldReadTheFooterOfAFileWhoseEventCarriesNoStatisticsAndCommitItAlongsideOthers() throws Exception {
        // An event already on the landings topic before events carried statistics, or a replay's for a file it
        // found written, next to one that carries them.
        LandingEvent old = IcebergFixtures.withoutStatistics(IcebergFixtures.land(lake, IcebergFixtures.V1, 0, 9));
        LandingEvent fresh = IcebergFixtures.land(lake, IcebergFixtures.V1, 10, 14);

        assertThat(committer.commit(TABLE, List.of(new Landing(0, 5, old), new Landing(0, 6, fresh)))).isEqualTo(2);

        assertThat(footerReads).hasValue(1);
        assertThat(rows()).extracting(r -> r.getField("_source_offset")).doesNotHaveDuplicates().hasSize(15);
        try (var tasks = table().newScan().includeColumnStats().planFiles()) {
            for (var task : tasks) {
                assertThat(task.file().lowerBounds()).as(task.file().location()).isNotEmpty();
                assertThat(task.file().fileSizeInBytes()).isEqualTo(java.nio.file.Files.size(Path.of(
                        task.file().location())));
            }
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "statistics in the event: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void shouldRecordEventTimeBoundsInMicrosecondsSoThatTimeFiltersFindTheFile(boolean statistics) throws Exception {
        LandingEvent landed = IcebergFixtures.land(lake, IcebergFixtures.V1, 0, 9);
        LandingEvent a = statistics ? landed : IcebergFixtures.withoutStatistics(landed);
        committer.commit(TABLE, List.of(new Landing(0, 5, a)));
        assertThat(footerReads).hasValue(statistics ? 0 : 1);
        Table table = table();
        int ts = table.schema().findField("claim_ts").fieldId();
        try (var tasks = table.newScan().includeColumnStats().planFiles()) {
            var file = tasks.iterator().next().file();
            // Written as Parquet TIMESTAMP(MILLIS); Iceberg's bounds are microseconds.
            assertThat((Long) Conversions.fromByteBuffer(Types.TimestampType.withZone(), file.lowerBounds().get(ts)))
                    .isEqualTo(IcebergFixtures.HOUR_10 * 1000);
            assertThat((Long) Conversions.fromByteBuffer(Types.TimestampType.withZone(), file.upperBounds().get(ts)))
                    .isEqualTo((IcebergFixtures.HOUR_10 + 9000) * 1000);
        }
        assertThat(table.newScan().filter(Expressions.greaterThanOrEqual("claim_ts", "2024-05-01T10:00:05+00:00"))
                .planFiles()).as("a filter inside the file's time range").hasSize(1);
        assertThat(table.newScan().filter(Expressions.equal(Expressions.hour("claim_ts"),
                (int) (IcebergFixtures.HOUR_10 / 3_600_000))).planFiles()).as("the hour's filter").hasSize(1);
        assertThat(table.newScan().filter(Expressions.greaterThan("claim_ts", "2024-05-01T10:00:09+00:00"))
                .planFiles()).as("a filter after the file's last event").isEmpty();
    }

    @Test
    void shouldSkipLandingsTheSnapshotsCoverWhenABatchIsReplayedAfterACrash() throws Exception {
        LandingEvent a = IcebergFixtures.land(lake, IcebergFixtures.V1, 0, 9);
        committer.commit(TABLE, List.of(new Landing(0, 5, a)));

        // A restarted committer (nothing in memory) gets the same pending landing again: the summary covers it.
        IcebergCommitter restarted = newCommitter();
        assertThat(restarted.commit(TABLE, List.of(new Landing(0, 5, a)))).isZero();
        assertThat(table().snapshots()).hasSize(1);
        assertThat(rows()).hasSize(10);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "event with statistics: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void shouldLeaveOutALandingWhoseFileNoLongerExistsAndCommitTheRest(boolean statistics) throws Exception {
        LandingEvent a = IcebergFixtures.land(lake, IcebergFixtures.V1, 0, 9);
        // Read again after its file was compacted away (the flush's own event, with statistics), or announced again
        // by a replay that found it written (without): deleted since either way.
        LandingEvent landed = IcebergFixtures.land(lake, IcebergFixtures.V1, 10, 19);
        LandingEvent gone = statistics ? landed : IcebergFixtures.withoutStatistics(landed);
        java.nio.file.Files.delete(java.nio.file.Path.of(gone.uri()));

        // Neither a crash nor a snapshot that names a missing file: the existing one is committed alone.
        assertThat(committer.commit(TABLE, List.of(new Landing(0, 5, a), new Landing(0, 6, gone)))).isEqualTo(1);
        assertThat(rows()).extracting(r -> r.getField("_source_offset")).doesNotHaveDuplicates().hasSize(10);
        assertThat(newCommitter().commit(TABLE, List.of(new Landing(0, 7, gone)))).isZero();
        assertThat(table().snapshots()).hasSize(1);
    }

    @Test
    void shouldCommitAFileAnnouncedTwiceOnce() throws Exception {
        LandingEvent a = IcebergFixtures.land(lake, IcebergFixtures.V1, 0, 9);
        LandingEvent b = IcebergFixtures.land(lake, IcebergFixtures.V1, 10, 19);
        committer.commit(TABLE, List.of(new Landing(0, 5, a), new Landing(0, 6, a)));
        // A replayed flush announces the existing object again at a later landings offset, next to a new one.
        assertThat(newCommitter().commit(TABLE, List.of(new Landing(0, 7, a), new Landing(0, 8, b)))).isEqualTo(1);

        assertThat(rows()).extracting(r -> r.getField("_source_offset")).doesNotHaveDuplicates().hasSize(20);
        assertThat(table().currentSnapshot().summary()).containsEntry(IcebergCommitter.LANDINGS_OFFSETS, "0:8");
    }

    @Test
    void shouldNotAppendLandingsTwiceWhenAZombieCommitsThemWhileTheOwnerDoes() throws Exception {
        LandingEvent a = IcebergFixtures.land(lake, IcebergFixtures.V1, 0, 9);
        LandingEvent b = IcebergFixtures.land(lake, IcebergFixtures.V1, 10, 19);
        committer.commit(TABLE, List.of(new Landing(0, 4, a)));
        IcebergCommitter owner = newCommitter();
        List<Landing> batch = List.of(new Landing(0, 5, b));
        java.util.concurrent.atomic.AtomicBoolean raced = new java.util.concurrent.atomic.AtomicBoolean();
        // The zombie has read what the table covers; the owner commits the same landings before the zombie writes.
        IcebergCommitter zombie = racedOnce(raced, () -> assertThat(owner.commit(TABLE, batch)).isEqualTo(1));

        // Iceberg's own retry would put the zombie's append on top of the owner's: refused, then found covered.
        assertThat(zombie.commit(TABLE, batch)).isZero();
        assertThat(raced).isTrue();
        assertThat(IcebergRows.files(table())).doesNotHaveDuplicates().hasSize(2);
        assertThat(rows()).extracting(r -> r.getField("_source_offset")).doesNotHaveDuplicates().hasSize(20);
    }

    @Test
    void shouldAppendOnTopOfAnotherWritersSnapshotTakenBetweenItsReadAndItsCommit() throws Exception {
        LandingEvent a = IcebergFixtures.land(lake, IcebergFixtures.V1, 0, 9);
        LandingEvent b = IcebergFixtures.land(lake, IcebergFixtures.V1, 10, 19);
        committer.commit(TABLE, List.of(new Landing(0, 4, a)));
        java.util.concurrent.atomic.AtomicBoolean raced = new java.util.concurrent.atomic.AtomicBoolean();
        IcebergCommitter racing = racedOnce(raced, () -> {
            table().updateProperties().set("owner", "another tool").commit();
            table().newAppend().commit();
        });

        assertThat(racing.commit(TABLE, List.of(new Landing(0, 5, b)))).isEqualTo(1);
        assertThat(raced).isTrue();
        assertThat(rows()).extracting(r -> r.getField("_source_offset")).doesNotHaveDuplicates().hasSize(20);
        assertThat(table().currentSnapshot().summary()).containsEntry(IcebergCommitter.LANDINGS_OFFSETS, "0:5");
    }

    @Test
    void shouldNotTrustWhatItRemembersOfAPartitionAfterAnotherInstanceCommittedToIt() throws Exception {
        LandingEvent a = IcebergFixtures.land(lake, IcebergFixtures.V1, 0, 9);
        LandingEvent b = IcebergFixtures.land(lake, IcebergFixtures.V1, 10, 19);
        committer.commit(TABLE, List.of(new Landing(0, 5, a)));
        // The table's committer moved to another instance, which committed b, then came back.
        newCommitter().commit(TABLE, List.of(new Landing(0, 6, b)));

        // b announced again by a replayed flush: in the partition now, although not in what this instance saw.
        assertThat(committer.commit(TABLE, List.of(new Landing(0, 7, b)))).isZero();
        assertThat(rows()).extracting(r -> r.getField("_source_offset")).doesNotHaveDuplicates().hasSize(20);
    }

    @Test
    void shouldFindAReannouncedFileAmongItsPartitionsFilesAfterARestart() throws Exception {
        LandingEvent a = IcebergFixtures.land(lake, IcebergFixtures.V1, 0, 9);
        LandingEvent b = IcebergFixtures.land(lake, IcebergFixtures.V1, 10, 19);
        committer.commit(TABLE, List.of(new Landing(0, 5, a)));
        committer.commit(TABLE, List.of(new Landing(0, 6, b)));
        LandingEvent c = IcebergFixtures.land(lake, IcebergFixtures.V1, 20, 29);

        // Restarted: nothing in memory; both committed files are found by the partition's scan, the new one is not.
        IcebergCommitter restarted = newCommitter();
        assertThat(restarted.commit(TABLE, List.of(new Landing(0, 9, a), new Landing(0, 10, b),
                new Landing(0, 11, c)))).isEqualTo(1);
        assertThat(restarted.commit(TABLE, List.of(new Landing(0, 12, c)))).as("remembered after its commit").isZero();
        assertThat(rows()).extracting(r -> r.getField("_source_offset")).doesNotHaveDuplicates().hasSize(30);
    }

    @Test
    void shouldAddAnOptionalColumnWithANewIdBeforeCommittingFilesThatCarryIt() throws Exception {
        committer.commit(TABLE, List.of(new Landing(0, 0, IcebergFixtures.land(lake, IcebergFixtures.V1, 0, 4))));
        int amountId = table().schema().findField("amount").fieldId();

        committer.commit(TABLE, List.of(new Landing(0, 1, IcebergFixtures.land(lake, IcebergFixtures.V2, 5, 9))));

        Types.NestedField adjuster = table().schema().findField("adjuster");
        assertThat(adjuster.isOptional()).isTrue();
        assertThat(table().schema().findField("amount").fieldId()).isEqualTo(amountId);
        assertThat(adjuster.fieldId()).isGreaterThan(table().schema().columns().stream()
                .filter(c -> !c.name().equals("adjuster")).mapToInt(Types.NestedField::fieldId).max().orElseThrow());
        assertThat(rows()).extracting(r -> r.getField("_source_offset") + "=" + r.getField("adjuster"))
                .containsExactlyInAnyOrder("0=null", "1=null", "2=null", "3=null", "4=null", "5=a5", "6=a6", "7=a7",
                        "8=a8", "9=a9");
    }

    @Test
    void shouldStopOnAnIncompatibleTypeChangeNamingTheFieldAndTheTableWithoutCommitting() {
        committer.commit(TABLE, List.of(new Landing(0, 0, IcebergFixtures.land(lake, IcebergFixtures.V1, 0, 4))));
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : IcebergFixtures.V1.getFields()) {
            fields.add(f.name().equals("claim_id") ? new Schema.Field("claim_id", Schema.create(Schema.Type.INT))
                    : new Schema.Field(f, f.schema()));
        }
        Schema changed = Schema.createRecord("Claim", null, null, false, fields);
        LandingEvent bad = IcebergFixtures.land(lake, changed, 5, 9);

        assertThatThrownBy(() -> committer.commit(TABLE, List.of(new Landing(0, 1, bad))))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("table lake.claims").hasMessageContaining("field \"claim_id\"")
                .hasMessageContaining("string to int");
        assertThat(table().snapshots()).hasSize(1);
    }
}
