package io.lakestream.bench;

import io.lakestream.bench.FilesOverTime.Commit;
import io.lakestream.bench.FilesOverTime.Sample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;

/**
 * Reads each table's current snapshot from the catalog at a fixed period while the live benchmark runs, through the
 * Iceberg API alone (not lakestream's code or metrics): data files, snapshots, data files per hour partition, the
 * newest event time the files hold (the manifests' upper bounds of the column the hour is taken from), and
 * every snapshot seen (kept even if a later expiry removes it, so the commit cadence covers the whole run).
 */
final class FilesSampler implements AutoCloseable {

    private static final long HOUR_MILLIS = Duration.ofHours(1).toMillis();

    private final Catalog catalog;
    private final List<TableIdentifier> tables;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-files-sampler");
        t.setDaemon(true);
        return t;
    });
    private final List<Sample> samples = new ArrayList<>();
    private final Map<String, Map<Long, Commit>> commits = new LinkedHashMap<>();
    private volatile String lastFailure;

    FilesSampler(Catalog catalog, List<TableIdentifier> tables) {
        this.catalog = catalog;
        this.tables = List.copyOf(tables);
        tables.forEach(t -> commits.put(t.name(), new TreeMap<>()));
    }

    FilesSampler start(Duration period) {
        timer.scheduleWithFixedDelay(this::sampleQuietly, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Stops the periodic samples and takes a last one. */
    @Override
    public void close() {
        timer.shutdown();
        try {
            if (!timer.awaitTermination(2, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the files sampler did not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sampleQuietly();
    }

    synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** Every snapshot seen of the table, by commit time. */
    synchronized List<Commit> commits(String table) {
        return commits.get(table).values().stream()
                .sorted(java.util.Comparator.comparingLong(Commit::committedAt)).toList();
    }

    String lastFailure() {
        return lastFailure;
    }

    private void sampleQuietly() {
        try {
            sample();
        } catch (RuntimeException e) {
            // A read racing a commit (a manifest of a snapshot being written) is tried again at the next sample.
            lastFailure = e.toString();
        }
    }

    private void sample() {
        for (TableIdentifier id : tables) {
            long at = System.currentTimeMillis();
            Table table;
            try {
                table = catalog.loadTable(id);
            } catch (NoSuchTableException notYet) {
                continue; // created at its first commit
            }
            int snapshots = 0;
            List<Commit> seen = new ArrayList<>();
            for (Snapshot s : table.snapshots()) {
                snapshots++;
                seen.add(new Commit(s.snapshotId(), s.operation(), s.timestampMillis()));
            }
            int files = 0;
            Map<Long, Integer> byHour = new TreeMap<>();
            long newest = IcebergCommitFigures.NONE;
            int hourField = hourField(table);
            if (table.currentSnapshot() != null && hourField >= 0) {
                Types.NestedField eventTime = table.schema().findField(table.spec().fields().get(hourField).sourceId());
                try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
                    for (FileScanTask task : tasks) {
                        files++;
                        Integer hour = task.file().partition().get(hourField, Integer.class);
                        byHour.merge(hour == null ? Long.MIN_VALUE : hour * HOUR_MILLIS, 1, Integer::sum);
                        newest = Math.max(newest, upperMillis(task.file(), eventTime));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            synchronized (this) {
                samples.add(new Sample(at, id.name(), files, snapshots, byHour, newest));
                seen.forEach(c -> commits.get(id.name()).putIfAbsent(c.snapshotId(), c));
            }
        }
    }

    /** The file's upper bound of a timestamp column, in epoch millis (Iceberg keeps micros); NONE without one. */
    private static long upperMillis(DataFile file, Types.NestedField column) {
        ByteBuffer bound = file.upperBounds() == null ? null : file.upperBounds().get(column.fieldId());
        if (bound == null) {
            return IcebergCommitFigures.NONE;
        }
        return Math.floorDiv((Long) Conversions.fromByteBuffer(column.type(), bound), 1000L);
    }

    /** Position of the spec's {@code hour(...)} field in a file's partition tuple, -1 when there is none. */
    private static int hourField(Table table) {
        List<PartitionField> fields = table.spec().fields();
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).transform().toString().equals("hour")) {
                return i;
            }
        }
        return -1;
    }
}
