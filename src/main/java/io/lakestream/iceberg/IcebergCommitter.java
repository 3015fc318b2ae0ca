package io.lakestream.iceberg;

import io.lakestream.config.TableFormatConfig;
import io.lakestream.sink.FileStatistics;
import io.lakestream.sink.LandingEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotAncestryValidator;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.mapping.MappingUtil;
import org.apache.iceberg.mapping.NameMappingParser;
import org.apache.iceberg.util.Tasks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends landed files to one Iceberg table per call, exactly once. The only lakestream writer of its tables (one
 * committer per table: the task that owns the table's landings partition), it records with every append, in table
 * properties (see {@link CommittedState}), the landings offsets it covers, and in the snapshot summary
 * ({@value #LANDINGS_OFFSETS}) the same for readers. So a batch replayed after a crash skips what the table already
 * covers, also after snapshot expiry, compaction and snapshots of other writers; and a file announced twice (a
 * replayed flush) is appended once: before appending a file the committer looks it up among the files committed to
 * the file's own partition, those of the current snapshot and those lakestream's compaction replaced
 * ({@link CommittedFiles}).
 *
 * <p>A commit that loses a race with another writer is refreshed and retried with backoff, a bounded number of
 * times; one whose outcome is unknown (the catalog did not answer) is resolved by the next attempt, which first
 * reloads the table and finds its own commit through the covered offsets, so nothing is committed twice.
 */
public final class IcebergCommitter {

    /** Snapshot summary key: highest landings offset covered, per landings partition. */
    public static final String LANDINGS_OFFSETS = "lakestream.landings-offsets";
    private static final Logger LOG = LoggerFactory.getLogger(IcebergCommitter.class);
    static final int ATTEMPTS = 5;
    /** Concurrent object-store requests while describing the files of one commit. */
    private static final int IO_THREADS = 8;
    private static final java.util.concurrent.ExecutorService IO_POOL =
            org.apache.iceberg.util.ThreadPools.newExitingWorkerPool("lakestream-iceberg-io", IO_THREADS);

    /** One landing event and where it was read. */
    public record Landing(int partition, long offset, LandingEvent event) {
    }

    private final Catalog catalog;
    private final org.apache.iceberg.io.FileIO io;
    private final Namespace namespace;
    private final TableFormatConfig formats;
    private final Function<String, String> tableLocation;
    private final String landingsTopic;
    private final CommittedFiles committed = new CommittedFiles();
    private final TableHealth health;
    private final Backoff backoff;

    /**
     * @param io            reads the footers of landed files whose events carry no statistics (the catalog's file IO)
     * @param tableLocation a table's location (its objects' URI prefix, without the trailing '/')
     * @param landingsTopic the topic the landings are read from (its offsets are what the table records)
     */
    public IcebergCommitter(Catalog catalog, org.apache.iceberg.io.FileIO io, String database, TableFormatConfig formats,
                            Function<String, String> tableLocation, String landingsTopic, TableHealth health,
                            Backoff backoff) {
        this.catalog = catalog;
        this.io = io;
        this.namespace = Namespace.of(database);
        this.formats = formats;
        this.tableLocation = tableLocation;
        this.landingsTopic = landingsTopic;
        this.health = health;
        this.backoff = backoff;
    }

    /** Waits between attempts of a commit that lost a race (tests pass one that does not sleep). */
    @FunctionalInterface
    public interface Backoff {
        Backoff SLEEP = attempt -> {
            try {
                Thread.sleep(Math.min(5_000L, 100L << attempt) + java.util.concurrent.ThreadLocalRandom.current()
                        .nextLong(100));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while retrying a commit", e);
            }
        };

        void pause(int attempt);
    }

    /** The committed-files view the maintenance of the same committer updates after a compaction. */
    CommittedFiles committedFiles() {
        return committed;
    }

    /**
     * Commits the landings of one table not yet covered by it, as one append.
     *
     * @return the number of files appended (0 when everything was covered already)
     */
    public int commit(String tableName, List<Landing> landings) {
        TableFormatConfig.IcebergTableConfig settings = formats.iceberg(tableName);
        if (settings == null || landings.isEmpty()) {
            return 0;
        }
        Map<String, LandedFile> files = new HashMap<>();
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(tableName, settings, landings, files);
            } catch (CommitFailedException | ValidationException conflict) {
                // A validation failure: another lakestream committer of this table (a zombie that has not yet
                // learnt it was fenced) committed after this attempt read what the table covers.
                health.conflict(tableName);
                if (attempt >= ATTEMPTS) {
                    throw conflict;
                }
                LOG.warn("iceberg table {}.{}: commit lost a race with another writer (attempt {} of {}), retrying: {}",
                        namespace, tableName, attempt, ATTEMPTS, conflict.getMessage());
            } catch (CommitStateUnknownException unknown) {
                health.unknown(tableName);
                if (attempt >= ATTEMPTS) {
                    throw unknown;
                }
                // The next attempt reloads the table and finds the commit if it landed: never a blind second commit.
                LOG.warn("iceberg table {}.{}: commit outcome unknown (attempt {} of {}), looking for it: {}",
                        namespace, tableName, attempt, ATTEMPTS, unknown.getMessage());
            }
            health.retry(tableName);
            backoff.pause(attempt);
        }
    }

    private int attempt(String tableName, TableFormatConfig.IcebergTableConfig settings, List<Landing> landings,
                        Map<String, LandedFile> described) {
        Table table = loadTable(tableName);
        // What the table covers is read from this snapshot; the append below is valid only on top of it.
        Long readAt = table == null || table.currentSnapshot() == null ? null : table.currentSnapshot().snapshotId();
        if (table != null) {
            committed.validAt(tableName, readAt);
        }
        Map<Integer, Long> covered = table == null ? new TreeMap<>() : CommittedState.offsets(table, landingsTopic);
        Map<String, Landing> fresh = new LinkedHashMap<>();
        Map<Integer, Long> upTo = new TreeMap<>(covered);
        Map<String, Long> closed = table == null ? new TreeMap<>() : CommittedState.closedWindows(table);
        long window = table == null ? 0 : CommittedState.windowLength(table);
        Map<Integer, Long> skipped = new TreeMap<>();
        for (Landing l : landings) {
            if (l.offset() <= covered.getOrDefault(l.partition(), -1L)) {
                skipped.merge(l.partition(), l.offset(), Math::max);
                continue;
            }
            upTo.merge(l.partition(), l.offset(), Math::max);
            if (!l.event().late()) {
                window = Math.max(window, l.event().windowEnd() - l.event().windowStart());
                closed.merge(l.event().sourceTopic() + "-" + l.event().sourcePartition(), l.event().windowEnd(),
                        Math::max);
            }
            if (table == null || !committed.of(tableName, table, partitionOf(table, l.event()))
                    .contains(l.event().uri())) {
                fresh.putIfAbsent(l.event().uri(), l);
            }
        }
        if (fresh.isEmpty()) {
            LOG.info("iceberg table {}.{}: {} landings already committed up to landings offsets {}; nothing to do",
                    namespace, tableName, landings.size(), CommittedState.format(skipped));
            return 0;
        }
        if (!skipped.isEmpty()) {
            // A commit whose Kafka side was lost, found done by its covered offsets; the rest is new.
            LOG.info("iceberg table {}.{}: landings already committed up to landings offsets {}, skipped",
                    namespace, tableName, CommittedState.format(skipped));
        }
        describe(tableName, fresh, described);
        if (fresh.isEmpty()) {
            return 0;
        }
        if (table == null) {
            table = createTable(tableName, settings, described.get(fresh.keySet().iterator().next()).avroSchema());
        }
        for (org.apache.avro.Schema avro : fresh.keySet().stream().map(u -> described.get(u).avroSchema()).distinct()
                .toList()) {
            if (IcebergSchemas.evolve(table, avro, namespace + "." + tableName)) {
                table.updateProperties().set(TableProperties.DEFAULT_NAME_MAPPING,
                        NameMappingParser.toJson(MappingUtil.create(table.schema()))).commit();
                LOG.info("iceberg table {}.{}: added columns, schema now {}", namespace, tableName,
                        table.schema().columns().stream().map(c -> c.name()).toList());
            }
        }
        // Append and properties in one transaction: one metadata commit, so they cannot disagree.
        Transaction tx = table.newTransaction();
        AppendFiles append = tx.newAppend();
        List<DataFile> files = new ArrayList<>();
        for (Map.Entry<String, Landing> e : fresh.entrySet()) {
            LandedFile landed = described.get(e.getKey());
            DataFile file = DataFiles.builder(table.spec())
                    .withPath(e.getKey())
                    .withFormat(FileFormat.PARQUET)
                    .withFileSizeInBytes(landed.length())
                    .withMetrics(landed.metrics(table, e.getValue().event().rowCount()))
                    .withPartition(partitionOf(table, e.getValue().event()))
                    .build();
            files.add(file);
            append.appendFile(file);
        }
        append.set(LANDINGS_OFFSETS, CommittedState.format(upTo));
        // Iceberg retries a transaction that loses the race for the catalog by applying it again on top of the
        // winner's metadata: an append is never refused there. If the winner is another lakestream committer of
        // this table with the same landings (a zombie), that would append them twice; this check refuses it, and
        // the next attempt reads the winner's covered offsets. Other writers' snapshots pass.
        append.validateWith(noLandingsCommittedSince(readAt));
        append.commit();
        tx.updateProperties().set(CommittedState.offsetsKey(landingsTopic), CommittedState.format(upTo))
                .set(CommittedState.CLOSED_WINDOWS, CommittedState.format(closed))
                .set(CommittedState.WINDOW_LENGTH, Long.toString(window)).commit();
        tx.commitTransaction();
        Snapshot made = table.currentSnapshot();
        if (java.util.Objects.equals(made.parentId(), readAt)) {
            for (Landing l : fresh.values()) {
                committed.of(tableName, table, partitionOf(table, l.event())).add(l.event().uri());
            }
            committed.validAt(tableName, made.snapshotId());
        } else {
            committed.forget(tableName);
        }
        health.committed(tableName, table.currentSnapshot());
        LOG.info("iceberg table {}.{}: committed {} files ({} rows) in snapshot {}, landings offsets {}", namespace,
                tableName, files.size(), files.stream().mapToLong(DataFile::recordCount).sum(),
                table.currentSnapshot().snapshotId(), CommittedState.format(upTo));
        return files.size();
    }

    /**
     * Accepts an append whose parent is the snapshot {@code readAt} or a descendant of it through snapshots of other
     * writers only; refuses it when a snapshot committed by lakestream's committer (it carries
     * {@value #LANDINGS_OFFSETS}) came after {@code readAt}, or when {@code readAt} is no longer an ancestor.
     */
    static SnapshotAncestryValidator noLandingsCommittedSince(Long readAt) {
        return new SnapshotAncestryValidator() {
            @Override
            public boolean validate(Iterable<Snapshot> ancestors) {
                for (Snapshot s : ancestors) {
                    if (readAt != null && s.snapshotId() == readAt) {
                        return true;
                    }
                    if (s.summary() != null && s.summary().containsKey(LANDINGS_OFFSETS)) {
                        return false;
                    }
                }
                return readAt == null;
            }

            @Override
            public String errorMessage() {
                return "landings were committed to the table after snapshot " + readAt
                        + " by another lakestream committer, or that snapshot is gone";
            }
        };
    }

    /**
     * One maintenance pass over a table (see {@link IcebergMaintenance}); nothing when the table does not exist yet.
     *
     * @param allClosed take every partition as closed (the windows have been drained)
     * @param pending   files landed and not yet committed, which the orphan cleanup must leave alone
     */
    public MaintenanceReport maintain(String tableName, boolean allClosed, long now, Set<String> pending) {
        TableFormatConfig.IcebergTableConfig settings = formats.iceberg(tableName);
        Table table = settings == null ? null : loadTable(tableName);
        if (table == null) {
            return MaintenanceReport.NOTHING;
        }
        IcebergMaintenance maintenance = new IcebergMaintenance(formats.maintenance());
        MaintenanceReport report = maintenance.run(table, settings, allClosed, now, pending);
        committed.forget(tableName);
        int snapshots = 0;
        for (org.apache.iceberg.Snapshot ignored : table.snapshots()) {
            snapshots++;
        }
        health.maintained(tableName, report, TableStats.of(table), table.currentSnapshot(), snapshots);
        return report;
    }

    private Table loadTable(String name) {
        try {
            return catalog.loadTable(TableIdentifier.of(namespace, name));
        } catch (NoSuchTableException e) {
            return null;
        }
    }

    private Table createTable(String name, TableFormatConfig.IcebergTableConfig settings,
                              org.apache.avro.Schema first) {
        if (catalog instanceof SupportsNamespaces ns && !ns.namespaceExists(namespace)) {
            try {
                ns.createNamespace(namespace);
            } catch (AlreadyExistsException e) {
                // another process created it first
            }
        }
        org.apache.iceberg.Schema schema = IcebergSchemas.fromAvro(first);
        Map<String, String> props = Map.of(TableProperties.FORMAT_VERSION, "2",
                TableProperties.DEFAULT_FILE_FORMAT, "parquet");
        try {
            // Files carry no Iceberg field IDs: readers map their columns by name. The mapping is built from the
            // created table's schema, whose IDs the catalog assigns, in the same transaction as the table.
            Transaction create = catalog.newCreateTableTransaction(TableIdentifier.of(namespace, name), schema,
                    IcebergLayout.spec(schema, settings.partitionSpec()), tableLocation.apply(name), props);
            create.updateProperties().set(TableProperties.DEFAULT_NAME_MAPPING,
                    NameMappingParser.toJson(MappingUtil.create(create.table().schema()))).commit();
            create.commitTransaction();
            Table table = catalog.loadTable(TableIdentifier.of(namespace, name));
            LOG.info("iceberg table {}.{}: created at {} with spec {}", namespace, name, table.location(),
                    table.spec());
            return table;
        } catch (AlreadyExistsException e) {
            return catalog.loadTable(TableIdentifier.of(namespace, name));
        }
    }

    /** The partition tuple of a landed file in the table's spec. */
    private static StructLike partitionOf(Table table, LandingEvent event) {
        return IcebergLayout.partition(table.spec(), new ArrayList<>(event.partition().values()));
    }

    /**
     * Describes each fresh landing's file into {@code described} and drops from {@code fresh} the landings whose file
     * is gone. An event with statistics describes its file, whose existence takes one HEAD request (no footer
     * read): an event read again after its file was compacted, its record of that removed by another writer's
     * rewrite and its snapshots expired, names a file that is gone. Without statistics the footer is read. The
     * requests run {@value #IO_THREADS} at a time: a batch of hundreds of files (a backlog after downtime) must not
     * hold the stream thread for longer than its Kafka transaction may stay open.
     */
    private void describe(String tableName, Map<String, Landing> fresh, Map<String, LandedFile> described) {
        List<String> unknown = fresh.keySet().stream().filter(u -> !described.containsKey(u)).toList();
        Map<String, ParquetFooter> footers = new java.util.concurrent.ConcurrentHashMap<>();
        Set<String> gone = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Tasks.foreach(unknown).executeWith(IO_POOL).stopOnFailure().throwFailureWhenFinished().run(uri -> {
            if (fresh.get(uri).event().statistics() != null) {
                if (!io.newInputFile(uri).exists()) {
                    gone.add(uri);
                }
                return;
            }
            try {
                footers.put(uri, ParquetFooter.read(io.newInputFile(uri)));
            } catch (RuntimeException e) {
                if (io.newInputFile(uri).exists()) {
                    throw e;
                }
                gone.add(uri);
            }
        });
        Map<String, org.apache.avro.Schema> schemas = new HashMap<>();
        for (String uri : unknown) {
            if (gone.contains(uri)) {
                // Gone from storage: a file a compaction replaced, whose record of it another writer's rewrite then
                // removed and whose snapshots were expired, announced again by a replay; or a file deleted by hand.
                // Committing it would reference a missing file; stopping here would stop the table for good.
                LOG.warn("iceberg table {}.{}: landing at landings offset {} names {}, which no longer exists "
                                + "(replaced by a compaction and expired, or deleted); not committed",
                        namespace, tableName, fresh.remove(uri).offset(), uri);
            } else {
                FileStatistics statistics = fresh.get(uri).event().statistics();
                described.put(uri, statistics != null ? LandedFile.of(statistics, schemas)
                        : LandedFile.of(footers.get(uri)));
            }
        }
    }
}
