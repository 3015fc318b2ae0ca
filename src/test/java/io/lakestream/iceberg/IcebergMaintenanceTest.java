package io.lakestream.iceberg;

import static io.lakestream.iceberg.IcebergFixtures.DATABASE;
import static io.lakestream.iceberg.IcebergFixtures.HOUR_10;
import static io.lakestream.iceberg.IcebergFixtures.TABLE;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.MaintenanceConfig;
import io.lakestream.config.TableFormatConfig;
import io.lakestream.iceberg.IcebergCommitter.Landing;
import io.lakestream.sink.LandingEvent;
import io.lakestream.testing.DuckLake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Maintenance by the committer, on the embedded JDBC catalog; the table read back with Iceberg's reader. */
class IcebergMaintenanceTest {

    private static final long HOUR = 3_600_000L;
    @TempDir
    Path lake;
    private IcebergCatalogs.Opened catalog;
    private CommitFaults faults;

    @BeforeEach
    void open() {
        catalog = IcebergCatalogs.local(lake);
        faults = new CommitFaults(catalog.catalog());
    }

    @AfterEach
    void close() throws Exception {
        catalog.close();
    }

    private IcebergCommitter committer(MaintenanceConfig maintenance) {
        TableFormatConfig f = IcebergFixtures.formats(IcebergFixtures.hour());
        return new IcebergCommitter(faults, catalog.io(), DATABASE, new TableFormatConfig(f.defaultFormat(),
                f.commitInterval(), f.icebergTables(), maintenance), t -> IcebergFixtures.tableLocation(lake),
                IcebergFixtures.LANDINGS, IcebergFixtures.health(), attempt -> { });
    }

    private IcebergCommitter committer() {
        return committer(MaintenanceConfig.DEFAULTS);
    }

    private Table table() {
        return catalog.catalog().loadTable(TableIdentifier.of(DATABASE, TABLE));
    }

    /** Five files of hour 10 landed (newest event times first) by windows whose end is {@code windowEnd}. */
    private List<LandingEvent> fiveFiles(long windowEnd) {
        List<LandingEvent> out = new ArrayList<>();
        for (int i = 4; i >= 0; i--) {
            out.add(window(IcebergFixtures.land(lake, IcebergFixtures.V1, i * 10L, i * 10L + 9), windowEnd));
        }
        return out;
    }

    private static LandingEvent window(LandingEvent e, long end) {
        return new LandingEvent(e.table(), e.partition(), e.objectKey(), e.uri(), e.rowCount(), e.sourceTopic(),
                e.sourcePartition(), e.firstOffset(), e.lastOffset(), end - 100_000, end, e.late(), e.statistics());
    }

    private static List<Landing> landings(List<LandingEvent> events, long firstOffset) {
        List<Landing> out = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            out.add(new Landing(0, firstOffset + i, events.get(i)));
        }
        return out;
    }

    private static List<Long> offsets(Table table) {
        return IcebergRows.rows(table).stream().map(r -> (Long) r.getField("_source_offset")).sorted().toList();
    }

    @Test
    void shouldCompactAClosedPartitionIntoOneFileSortedByEventTimeWithEveryRowAndItsLineage() {
        IcebergCommitter committer = committer();
        // Windows have closed up to 12:00: hour 10 (plus a window's length) is behind the clock.
        committer.commit(TABLE, landings(fiveFiles(HOUR_10 + 2 * HOUR), 0));
        assertThat(IcebergRows.files(table())).hasSize(5);

        MaintenanceReport report = committer.maintain(TABLE, false, System.currentTimeMillis(), Set.of());

        assertThat(report.rewrites()).isEqualTo(1);
        assertThat(report.filesRewritten()).isEqualTo(5);
        Table table = table();
        Map<String, List<Record>> byFile = IcebergRows.rowsByFile(table);
        assertThat(byFile).hasSize(1);
        String file = byFile.keySet().iterator().next();
        assertThat(file).contains("/data/claim_ts_hour=2024-05-01-10/" + CommittedFiles.COMPACTED_PREFIX);
        List<Record> rows = byFile.get(file);
        assertThat(rows).extracting(r -> (OffsetDateTime) r.getField("claim_ts")).isSorted();
        assertThat(rows).extracting(r -> r.getField("_source_offset")).doesNotHaveDuplicates().hasSize(50);
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.getField("_source_topic")).isEqualTo("raw");
            assertThat(r.getField("_source_partition")).isEqualTo(0);
        });
        assertThat(table.currentSnapshot().summary()).containsEntry("total-records", "50")
                .containsEntry("total-data-files", "1");
    }

    @Test
    void shouldWriteACompactedFileLargerThanTheRowGroupSizeInSeveralRowGroupsWithEveryRow() {
        long rowGroupSize = 32L << 10;
        MaintenanceConfig d = MaintenanceConfig.DEFAULTS;
        IcebergCommitter committer = committer(new MaintenanceConfig(true, d.interval(), d.targetFileSize(),
                rowGroupSize, d.maxBytesPerPass(), d.minAge(), d.keepSnapshots(), d.keepHistory(), d.orphanAge()));
        List<LandingEvent> files = new ArrayList<>();
        for (int i = 4; i >= 0; i--) {
            files.add(window(IcebergFixtures.land(lake, IcebergFixtures.V1, i * 700L, i * 700L + 699),
                    HOUR_10 + 2 * HOUR));
        }
        committer.commit(TABLE, landings(files, 0));

        assertThat(committer.maintain(TABLE, false, System.currentTimeMillis(), Set.of()).rewrites()).isEqualTo(1);

        List<String> compacted = IcebergRows.files(table());
        assertThat(compacted).hasSize(1);
        Path file = LocalFileIO.path(compacted.get(0));
        assertThat(file.toFile().length()).as("the compacted file is above the row-group size")
                .isGreaterThan(rowGroupSize);
        List<Map<String, Object>> groups = DuckLake.at(file.getParent()).query("SELECT DISTINCT row_group_id, "
                + "row_group_num_rows AS n FROM parquet_metadata('" + file + "') ORDER BY row_group_id");
        assertThat(groups).as("row groups read by DuckDB").hasSizeGreaterThan(1);
        assertThat(groups.stream().mapToLong(g -> ((Number) g.get("n")).longValue()).sum()).isEqualTo(3500);
        assertThat(DuckLake.at(file.getParent()).query("SELECT count(DISTINCT _source_offset) AS n, "
                + "min(_source_offset) AS lo, max(_source_offset) AS hi FROM read_parquet('" + file + "')"))
                .containsExactly(Map.of("n", 3500L, "lo", 0L, "hi", 3499L));
    }

    @Test
    void shouldLeaveAPartitionThatAnOpenWindowCanStillAddTo() {
        IcebergCommitter committer = committer();
        // Windows closed up to 10:59:00 only: a window of hour 10 may still be open.
        committer.commit(TABLE, landings(fiveFiles(HOUR_10 + HOUR - 60_000), 0));

        MaintenanceReport report = committer.maintain(TABLE, false, System.currentTimeMillis(), Set.of());

        assertThat(report.rewrites()).isZero();
        assertThat(IcebergRows.files(table())).hasSize(5);
        assertThat(committer.maintain(TABLE, true, System.currentTimeMillis(), Set.of()).rewrites())
                .as("a pass that takes every partition as closed (after a drain)").isEqualTo(1);
    }

    @Test
    void shouldNeverCommitAgainAFileThatCompactionReplacedEvenAfterItsSnapshotsExpired() {
        List<LandingEvent> files = fiveFiles(HOUR_10 + 2 * HOUR);
        committer().commit(TABLE, landings(files, 0));
        committer().maintain(TABLE, false, System.currentTimeMillis(), Set.of());
        Table table = table();
        table.expireSnapshots().expireOlderThan(System.currentTimeMillis() + 1).retainLast(1).commit();
        assertThat(table().snapshots()).hasSize(1);

        // A restarted committer: the same landings at their offsets, then re-announced at later offsets.
        IcebergCommitter restarted = committer();
        assertThat(restarted.commit(TABLE, landings(files, 0))).isZero();
        assertThat(restarted.commit(TABLE, landings(files, 10))).isZero();
        assertThat(offsets(table())).hasSize(50).doesNotHaveDuplicates();
    }

    @Test
    void shouldFindItsOffsetsAfterAnotherWritersSnapshotsAndTheExpiryOfEverySnapshotItWrote() {
        List<LandingEvent> first = fiveFiles(HOUR_10 + 2 * HOUR);
        committer().commit(TABLE, landings(first, 0));
        // Another writer appends a file of its own and is now the only snapshot left.
        LandingEvent foreign = IcebergFixtures.land(lake, IcebergFixtures.V1, 100, 104);
        Table table = table();
        table.newAppend().appendFile(org.apache.iceberg.DataFiles.builder(table.spec()).withPath(foreign.uri())
                .withFormat("parquet").withFileSizeInBytes(lake.resolve(foreign.objectKey()).toFile().length())
                .withRecordCount(5).withPartition(IcebergLayout.partition(table.spec(), List.of("2024-05-01-10"))).build())
                .commit();
        long foreignSnapshot = table.currentSnapshot().snapshotId();
        table.expireSnapshots().expireOlderThan(System.currentTimeMillis() + 1).retainLast(1).commit();
        assertThat(table().snapshots()).extracting(Snapshot::snapshotId).containsExactly(foreignSnapshot);
        assertThat(table().currentSnapshot().summary()).doesNotContainKey(IcebergCommitter.LANDINGS_OFFSETS);

        assertThat(committer().commit(TABLE, landings(first, 0))).as("replay of the last landings").isZero();
        assertThat(offsets(table())).hasSize(55).doesNotHaveDuplicates();
    }

    @Test
    void shouldPlanWithEachFilesEventTimeBoundsSoThatTheMergeOpensAFileOnlyWhenItReachesIt() {
        committer().commit(TABLE, landings(fiveFiles(HOUR_10 + 2 * HOUR), 0));
        Table table = table();
        int claimTs = table.schema().findField("claim_ts").fieldId();
        Compactor compactor = new Compactor(table, "claim_ts", MaintenanceConfig.DEFAULTS.rowGroupSize());

        var preview = new IcebergMaintenance(MaintenanceConfig.DEFAULTS).preview(table,
                IcebergFixtures.formats(IcebergFixtures.hour()).iceberg(TABLE), false, System.currentTimeMillis());

        List<org.apache.iceberg.DataFile> planned = preview.plan().groups().get(0).files();
        assertThat(planned).hasSize(5).allSatisfy(f -> assertThat(f.lowerBounds()).containsKey(claimTs));
        assertThat(planned).extracting(compactor::eventLowerBound).doesNotContain(Long.MIN_VALUE).isSorted();
    }

    @Test
    void shouldSkipARewriteWhenAnotherWriterRemovedOneOfItsFilesMeanwhile() {
        committer().commit(TABLE, landings(fiveFiles(HOUR_10 + 2 * HOUR), 0));
        Table table = table();
        IcebergMaintenance maintenance = new IcebergMaintenance(MaintenanceConfig.DEFAULTS);
        var settings = IcebergFixtures.formats(IcebergFixtures.hour()).iceberg(TABLE);
        var preview = maintenance.preview(table, settings, false, System.currentTimeMillis());
        long start = table.currentSnapshot().snapshotId();
        assertThat(preview.filesToRewrite()).isEqualTo(5);
        String removed = preview.plan().groups().get(0).files().get(0).location();
        table.newDelete().deleteFile(removed).commit();

        Compactor.Outcome outcome = new Compactor(table, "claim_ts", MaintenanceConfig.DEFAULTS.rowGroupSize())
                .rewrite(preview.plan().groups().get(0), start);

        assertThat(outcome).isEqualTo(Compactor.Outcome.SKIPPED);
        assertThat(offsets(table())).hasSize(40);
        try (var files = Files.walk(lake)) {
            assertThat(files.map(Path::toString)).as("the skipped rewrite's file is deleted")
                    .noneMatch(p -> p.contains(CommittedFiles.COMPACTED_PREFIX));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void shouldRetryAConflictAndResolveAnUnknownOutcomeByFindingItsOwnCommit() {
        IcebergCommitter committer = committer();
        committer.commit(TABLE, landings(List.of(IcebergFixtures.land(lake, IcebergFixtures.V1, 0, 9)), 0));
        // More conflicts than Iceberg's own retries (4): the committer's bounded retry takes over.
        faults.conflicts.set(6);
        assertThat(committer.commit(TABLE, landings(List.of(IcebergFixtures.land(lake, IcebergFixtures.V1, 10, 19)),
                1))).isEqualTo(1);
        faults.unknown.set(1);
        LandingEvent third = IcebergFixtures.land(lake, IcebergFixtures.V1, 20, 29);
        assertThat(committer.commit(TABLE, landings(List.of(third), 2))).as("landed, found on the next attempt")
                .isZero();
        assertThat(offsets(table())).hasSize(30).doesNotHaveDuplicates();
        assertThat(table().snapshots()).hasSize(3);
    }

    @Test
    void shouldExpireOldSnapshotsAndDeleteOldOrphansButNotPendingOrYoungFiles() throws Exception {
        IcebergCommitter committer = committer(new MaintenanceConfig(true, Duration.ofMinutes(1), 128L << 20,
                16L << 20, 512L << 20, Duration.ZERO, 1, Duration.ZERO, Duration.ofDays(3)));
        committer.commit(TABLE, landings(List.of(IcebergFixtures.land(lake, IcebergFixtures.V1, 0, 9)), 0));
        committer.commit(TABLE, landings(List.of(IcebergFixtures.land(lake, IcebergFixtures.V1, 10, 19)), 1));
        Path data = lake.resolve(IcebergFixtures.PREFIX + TABLE + "/data/claim_ts_hour=2024-05-01-10");
        Path orphan = Files.writeString(data.resolve("left-by-a-crash.parquet"), "x");
        Path pending = Files.writeString(data.resolve("pending.parquet"), "x");
        Path young = Files.writeString(data.resolve("young.parquet"), "x");
        FileTime old = FileTime.fromMillis(System.currentTimeMillis() - Duration.ofDays(4).toMillis());
        Files.setLastModifiedTime(orphan, old);
        Files.setLastModifiedTime(pending, old);
        for (String f : IcebergRows.files(table())) {
            Files.setLastModifiedTime(LocalFileIO.path(f), old);
        }

        MaintenanceReport report = committer.maintain(TABLE, false, System.currentTimeMillis() + 1,
                Set.of(pending.toString()));

        assertThat(report.snapshotsExpired()).isEqualTo(1);
        assertThat(report.orphansDeleted()).isEqualTo(1);
        assertThat(orphan).doesNotExist();
        assertThat(pending).exists();
        assertThat(young).exists();
        assertThat(table().snapshots()).hasSize(1);
        assertThat(offsets(table())).hasSize(20);
    }
}
