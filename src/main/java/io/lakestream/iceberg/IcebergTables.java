package io.lakestream.iceberg;

import io.lakestream.config.LakestreamConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The Iceberg tables of a config, for the commands that run outside the service: {@code maintain} (one pass per
 * table, by the same code as the committer's scheduled pass) and {@code inspect}.
 */
public final class IcebergTables implements AutoCloseable {

    private final LakestreamConfig config;
    private final IcebergCatalogs.Opened catalog;
    private final IcebergCommitter committer;

    private IcebergTables(LakestreamConfig config) {
        this.config = config;
        this.catalog = IcebergCatalogs.open(config);
        this.committer = new IcebergCommitter(catalog.catalog(), catalog.io(), config.catalog().database(),
                config.tableFormats(), t -> IcebergCommitStage.tableLocation(config, t), config.landingsTopic(),
                new TableHealth(new SimpleMeterRegistry(), System::currentTimeMillis), IcebergCommitter.Backoff.SLEEP);
    }

    public static IcebergTables open(LakestreamConfig config) {
        return new IcebergTables(config);
    }

    /**
     * One maintenance pass over a table (nothing if it does not exist yet). Files landed and not yet committed are
     * not visible from here: the orphan age ({@code catalog.maintenance.orphan-age}) is what keeps them.
     *
     * @param allClosed take every partition as closed (the pipeline is stopped or has drained its windows)
     */
    public MaintenanceReport maintain(String table, boolean allClosed) {
        return committer.maintain(table, allClosed, System.currentTimeMillis(), Set.of());
    }

    /**
     * A table's layout, snapshots, files and what the next maintenance pass would do.
     *
     * @param spec      partition fields as {@code transform(column)}
     * @param snapshots snapshots the table keeps
     * @param latest    the current snapshot's id, or null
     * @param latestAt  its time (epoch millis), or 0
     */
    public record Inspection(String table, String location, List<String> spec, int snapshots, Long latest,
                             long latestAt, TableStats files, IcebergMaintenance.Preview next) {
    }

    /** The table, or null if it does not exist yet (nothing landed). */
    public Inspection inspect(String name, boolean allClosed) {
        TableIdentifier id = TableIdentifier.of(config.catalog().database(), name);
        if (!catalog.catalog().tableExists(id)) {
            return null;
        }
        Table table = catalog.catalog().loadTable(id);
        List<String> spec = table.spec().fields().stream().map(f -> f.transform() + "(" + table.schema()
                .findColumnName(f.sourceId()) + ")").toList();
        List<Snapshot> snapshots = new ArrayList<>();
        table.snapshots().forEach(snapshots::add);
        Snapshot current = table.currentSnapshot();
        return new Inspection(id.toString(), table.location(), spec, snapshots.size(),
                current == null ? null : current.snapshotId(), current == null ? 0 : current.timestampMillis(),
                TableStats.of(table), new IcebergMaintenance(config.tableFormats().maintenance())
                .preview(table, config.tableFormats().iceberg(name), allClosed, System.currentTimeMillis()));
    }

    @Override
    public void close() throws Exception {
        catalog.close();
    }
}
