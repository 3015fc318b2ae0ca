package io.lakestream.iceberg;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.iceberg.Snapshot;

/**
 * Health of the Iceberg tables a process commits, on {@code /metrics}: data files and bytes, median file size,
 * snapshots, seconds since the last commit; commits, conflicts, retries and unknown outcomes; compaction passes,
 * rewrites, bytes rewritten, skipped rewrites; expired snapshots and deleted orphans. File figures come from the
 * snapshot summary after a commit (no manifest read) and from the full listing of a maintenance pass.
 */
public final class TableHealth {

    private final MeterRegistry registry;
    private final LongSupplier clock;
    private final Map<String, Table> tables = new ConcurrentHashMap<>();

    public TableHealth(MeterRegistry registry, LongSupplier clock) {
        this.registry = registry;
        this.clock = clock;
    }

    private final class Table {
        final AtomicLong files = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong median = new AtomicLong();
        final AtomicLong snapshots = new AtomicLong();
        final AtomicLong lastCommit = new AtomicLong();
        final Counter commits;
        final Counter conflicts;
        final Counter retries;
        final Counter unknown;
        final Counter passes;
        final Counter rewrites;
        final Counter rewrittenBytes;
        final Counter skipped;
        final Counter expired;
        final Counter orphans;

        Table(String name) {
            Gauge.builder("lakestream.iceberg.data.files", files, AtomicLong::get).tag("table", name)
                    .description("data files in the table's current snapshot").register(registry);
            Gauge.builder("lakestream.iceberg.data.bytes", bytes, AtomicLong::get).tag("table", name)
                    .description("bytes of the data files in the table's current snapshot").register(registry);
            Gauge.builder("lakestream.iceberg.median.file.bytes", median, AtomicLong::get).tag("table", name)
                    .description("median data file size at the last maintenance pass").register(registry);
            Gauge.builder("lakestream.iceberg.snapshots", snapshots, AtomicLong::get).tag("table", name)
                    .description("snapshots the table keeps, at the last maintenance pass").register(registry);
            Gauge.builder("lakestream.iceberg.last.commit.age.seconds", lastCommit,
                            t -> t.get() == 0 ? Double.NaN : (clock.getAsLong() - t.get()) / 1000.0)
                    .tag("table", name).description("seconds since the table's last snapshot").register(registry);
            commits = counter("lakestream.iceberg.commits", name, "appends committed");
            conflicts = counter("lakestream.iceberg.commit.conflicts", name, "commits that lost a race");
            retries = counter("lakestream.iceberg.commit.retries", name, "commit attempts after a failed one");
            unknown = counter("lakestream.iceberg.commit.unknown", name, "commits whose outcome was unknown");
            passes = counter("lakestream.iceberg.maintenance.passes", name, "maintenance passes");
            rewrites = counter("lakestream.iceberg.compaction.rewrites", name, "compaction rewrite commits");
            rewrittenBytes = counter("lakestream.iceberg.compaction.bytes.rewritten", name,
                    "bytes of data files compaction replaced");
            skipped = counter("lakestream.iceberg.compaction.skipped", name,
                    "rewrites skipped because another writer changed the partition");
            expired = counter("lakestream.iceberg.snapshots.expired", name, "snapshots expired");
            orphans = counter("lakestream.iceberg.orphans.deleted", name, "orphan files deleted");
        }

        private Counter counter(String meter, String name, String description) {
            return Counter.builder(meter).tag("table", name).description(description).register(registry);
        }
    }

    private Table of(String table) {
        return tables.computeIfAbsent(table, Table::new);
    }

    void committed(String table, Snapshot snapshot) {
        Table t = of(table);
        t.commits.increment();
        snapshot(t, snapshot);
    }

    private static void snapshot(Table t, Snapshot snapshot) {
        if (snapshot == null) {
            return;
        }
        t.lastCommit.set(snapshot.timestampMillis());
        String files = snapshot.summary().get("total-data-files");
        String bytes = snapshot.summary().get("total-files-size");
        if (files != null && bytes != null) {
            t.files.set(Long.parseLong(files));
            t.bytes.set(Long.parseLong(bytes));
        }
    }

    void conflict(String table) {
        of(table).conflicts.increment();
    }

    void retry(String table) {
        of(table).retries.increment();
    }

    void unknown(String table) {
        of(table).unknown.increment();
    }

    void maintained(String table, MaintenanceReport report, TableStats after, Snapshot current, int snapshots) {
        Table t = of(table);
        t.passes.increment();
        t.rewrites.increment(report.rewrites());
        t.rewrittenBytes.increment(report.bytesRewritten());
        t.skipped.increment(report.skippedOnConflict());
        t.expired.increment(report.snapshotsExpired());
        t.orphans.increment(report.orphansDeleted());
        snapshot(t, current);
        t.files.set(after.files());
        t.bytes.set(after.bytes());
        t.median.set(after.medianBytes());
        t.snapshots.set(snapshots);
    }
}
