package io.lakestream.iceberg;

import io.lakestream.config.MaintenanceConfig;
import io.lakestream.config.TableFormatConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One maintenance pass over one Iceberg table, by the table's committer (the only lakestream writer of the table, so
 * no lock): compaction of closed partitions ({@link CompactionPlan}, {@link Compactor}), snapshot expiry (keep the
 * newest {@code keep-snapshots} and everything younger than {@code keep-history}; files only expired snapshots
 * listed, such as those compaction replaced, are deleted with them), and removal of orphan data files (under the
 * table's {@code data/} folder, listed by no snapshot, older than {@code orphan-age}, and not pending a commit).
 *
 * <p>A partition is closed when no open window can still add to it: its end plus the table's window length is at or
 * before the table's event-time clock (see {@link CommittedState}), and, if {@code min-age} is set, its newest file
 * was committed at least that long ago. Tables whose spec has no hour() or day() of the event time are compacted only
 * in a pass that takes every partition as closed ({@code maintain --all-partitions}, the end of a caught-up run).
 */
public final class IcebergMaintenance {

    private static final Logger LOG = LoggerFactory.getLogger(IcebergMaintenance.class);

    private final MaintenanceConfig config;

    public IcebergMaintenance(MaintenanceConfig config) {
        this.config = config;
    }

    /**
     * What a pass would do, without doing it.
     *
     * @param expirable snapshots the expiry would remove
     */
    public record Preview(CompactionPlan.Plan plan, int expirable, int closedPartitions, int openPartitions) {
        public int rewrites() {
            return plan.groups().size();
        }

        public int filesToRewrite() {
            return plan.groups().stream().mapToInt(g -> g.files().size()).sum();
        }

        public long bytesToRewrite() {
            return plan.groups().stream().mapToLong(CompactionPlan.Group::bytes).sum();
        }

        public int deferred() {
            return plan.deferred();
        }
    }

    /**
     * @param allClosed take every partition as closed (the writers are stopped or have drained their windows)
     * @param pending   files landed but not yet committed: never orphans
     */
    public MaintenanceReport run(Table table, TableFormatConfig.IcebergTableConfig settings, boolean allClosed,
                                 long now, Set<String> pending) {
        table.refresh();
        MaintenanceReport report = MaintenanceReport.NOTHING;
        if (table.currentSnapshot() != null) {
            report = report.plus(compact(table, settings, allClosed, now));
        }
        report = report.plus(expire(table, now));
        report = report.plus(removeOrphans(table, now, pending));
        LOG.info("iceberg table {}: maintenance pass: {}", table.name(), report);
        return report;
    }

    public Preview preview(Table table, TableFormatConfig.IcebergTableConfig settings, boolean allClosed, long now) {
        List<CompactionPlan.Partition> partitions = partitions(table, settings, allClosed, now);
        Compactor compactor = new Compactor(table, settings == null ? null : settings.eventTime(),
                config.rowGroupSize());
        CompactionPlan.Plan plan = CompactionPlan.plan(partitions, config.targetFileSize(), config.smallFileBound(),
                config.maxBytesPerPass(), compactor::eventLowerBound);
        int closed = (int) partitions.stream().filter(CompactionPlan.Partition::closed).count();
        return new Preview(plan, expirable(table, now), closed, partitions.size() - closed);
    }

    private MaintenanceReport compact(Table table, TableFormatConfig.IcebergTableConfig settings, boolean allClosed,
                                      long now) {
        long start = table.currentSnapshot().snapshotId();
        Preview preview = preview(table, settings, allClosed, now);
        Compactor compactor = new Compactor(table, settings == null ? null : settings.eventTime(),
                config.rowGroupSize());
        int rewrites = 0;
        int skipped = 0;
        int filesIn = 0;
        long bytes = 0;
        for (CompactionPlan.Group group : preview.plan().groups()) {
            if (compactor.rewrite(group, start) == Compactor.Outcome.COMMITTED) {
                rewrites++;
                filesIn += group.files().size();
                bytes += group.bytes();
            } else {
                skipped++;
            }
        }
        return new MaintenanceReport(rewrites, filesIn, rewrites, bytes, skipped, preview.deferred(), 0, 0);
    }

    /** The partitions of the current spec with their files, and whether each is closed. */
    private List<CompactionPlan.Partition> partitions(Table table, TableFormatConfig.IcebergTableConfig settings,
                                                      boolean allClosed, long now) {
        Map<String, List<DataFile>> files = new LinkedHashMap<>();
        Map<String, org.apache.iceberg.StructLike> tuples = new HashMap<>();
        Set<String> withDeletes = new HashSet<>();
        if (table.currentSnapshot() == null) {
            return List.of();
        }
        // With the column metrics, which a scan leaves out by default: the event-time lower bounds order the files,
        // and the compaction's merge opens a file only when it reaches that bound. Without them every file of a group
        // was opened and read into memory at once (2,000,000 claims did not fit in a 512 MiB heap).
        try (CloseableIterable<FileScanTask> tasks = table.newScan().includeColumnStats().planFiles()) {
            for (FileScanTask t : tasks) {
                if (t.file().specId() != table.spec().specId()) {
                    continue;
                }
                String path = table.spec().partitionToPath(t.file().partition());
                files.computeIfAbsent(path, p -> new ArrayList<>()).add(t.file().copy());
                tuples.putIfAbsent(path, t.file().partition());
                if (!t.deletes().isEmpty()) {
                    withDeletes.add(path);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<Long, Long> committedAt = new HashMap<>();
        table.snapshots().forEach(s -> committedAt.put(s.sequenceNumber(), s.timestampMillis()));
        long clock = CommittedState.clock(CommittedState.closedWindows(table));
        long window = CommittedState.windowLength(table);
        int timeField = timeField(table, settings);
        List<CompactionPlan.Partition> out = new ArrayList<>();
        files.forEach((path, list) -> {
            org.apache.iceberg.StructLike tuple = tuples.get(path);
            boolean closed = allClosed || closedByEventTime(table, tuple, timeField, clock, window);
            if (closed && !allClosed && !config.minAge().isZero()) {
                long newest = list.stream().mapToLong(f -> committedAt.getOrDefault(f.dataSequenceNumber(),
                        Long.MIN_VALUE)).max().orElse(Long.MIN_VALUE);
                closed = newest == Long.MIN_VALUE || now - newest >= config.minAge().toMillis();
            }
            out.add(new CompactionPlan.Partition(path, tuple, closed, withDeletes.contains(path), list));
        });
        return out;
    }

    /** The position in the spec of hour() or day() of the event time, or -1. */
    private static int timeField(Table table, TableFormatConfig.IcebergTableConfig settings) {
        if (settings == null || settings.eventTime() == null || table.schema().findField(settings.eventTime()) == null) {
            return -1;
        }
        int source = table.schema().findField(settings.eventTime()).fieldId();
        List<PartitionField> fields = table.spec().fields();
        for (int i = 0; i < fields.size(); i++) {
            String transform = fields.get(i).transform().toString();
            if (fields.get(i).sourceId() == source && (transform.equals("hour") || transform.equals("day"))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean closedByEventTime(Table table, org.apache.iceberg.StructLike tuple, int timeField,
                                             long clock, long window) {
        if (timeField < 0 || clock == Long.MIN_VALUE) {
            return false;
        }
        Integer value = tuple.get(timeField, Integer.class);
        if (value == null) {
            return false;
        }
        long unit = table.spec().fields().get(timeField).transform().toString().equals("hour") ? 3_600_000L
                : 86_400_000L;
        // A window that starts in the partition may end after it: the partition is closed once that one is too.
        return (value + 1L) * unit + window <= clock;
    }

    private int expirable(Table table, long now) {
        List<Snapshot> snapshots = new ArrayList<>();
        table.snapshots().forEach(snapshots::add);
        snapshots.sort(java.util.Comparator.comparingLong(Snapshot::timestampMillis).reversed());
        long cutoff = now - config.keepHistory().toMillis();
        int n = 0;
        for (int i = config.keepSnapshots(); i < snapshots.size(); i++) {
            Snapshot s = snapshots.get(i);
            boolean current = table.currentSnapshot() != null && s.snapshotId() == table.currentSnapshot().snapshotId();
            if (s.timestampMillis() < cutoff && !current) {
                n++;
            }
        }
        return n;
    }

    private MaintenanceReport expire(Table table, long now) {
        int expirable = expirable(table, now);
        if (expirable == 0) {
            return MaintenanceReport.NOTHING;
        }
        int before = count(table);
        LOG.info("iceberg table {}: expiring {} snapshot(s) and the files only they list", table.name(), expirable);
        table.expireSnapshots().expireOlderThan(now - config.keepHistory().toMillis())
                .retainLast(config.keepSnapshots()).commit();
        table.refresh();
        int expired = before - count(table);
        return new MaintenanceReport(0, 0, 0, 0, 0, 0, expired, 0);
    }

    private static int count(Table table) {
        int n = 0;
        for (Snapshot ignored : table.snapshots()) {
            n++;
        }
        return n;
    }

    private MaintenanceReport removeOrphans(Table table, long now, Set<String> pending) {
        if (!(table.io() instanceof SupportsPrefixOperations io)) {
            LOG.info("iceberg table {}: its file IO cannot list; no orphan cleanup", table.name());
            return MaintenanceReport.NOTHING;
        }
        Set<String> referenced = new HashSet<>();
        for (Snapshot s : table.snapshots()) {
            for (ManifestFile m : s.allManifests(table.io())) {
                try (CloseableIterable<? extends org.apache.iceberg.ContentFile<?>> entries =
                             m.content() == ManifestContent.DATA
                                     ? ManifestFiles.read(m, table.io(), table.specs())
                                     : ManifestFiles.readDeleteManifest(m, table.io(), table.specs())) {
                    entries.forEach(f -> referenced.add(normalize(f.location())));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        Set<String> keep = new HashSet<>();
        pending.forEach(p -> keep.add(normalize(p)));
        long cutoff = now - config.orphanAge().toMillis();
        int deleted = 0;
        for (FileInfo f : io.listPrefix(table.location() + "/data/")) {
            String location = normalize(f.location());
            if (f.createdAtMillis() < cutoff && !referenced.contains(location) && !keep.contains(location)) {
                io.deleteFile(f.location());
                deleted++;
                LOG.info("iceberg table {}: deleted orphan file {} (listed by no snapshot)", table.name(),
                        f.location());
            }
        }
        return new MaintenanceReport(0, 0, 0, 0, 0, 0, 0, deleted);
    }

    /** Local locations are written with or without {@code file:}; S3 URIs are left as they are. */
    static String normalize(String location) {
        return location.startsWith("file://") ? location.substring("file://".length())
                : location.startsWith("file:") ? location.substring("file:".length()) : location;
    }
}
