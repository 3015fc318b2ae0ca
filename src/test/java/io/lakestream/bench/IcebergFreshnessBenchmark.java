package io.lakestream.bench;

import io.lakestream.bench.IcebergCommitFigures.Period;
import io.lakestream.bench.IcebergCommitFigures.SnapshotInfo;
import io.lakestream.bench.IcebergCommitFigures.TableFigures;
import io.lakestream.bench.IcebergReport.TableResult;
import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.iceberg.IcebergCatalogs;
import io.lakestream.iceberg.IcebergRows;
import io.lakestream.testing.ExternalKafka;
import io.lakestream.testing.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;

/**
 * The live Iceberg benchmark: event time follows the wall clock. A broker process, moto (S3, Glue Data Catalog, Glue
 * Schema Registry) or the local JDBC catalog, lakestream as a service in a JVM of its own running the claims pipeline
 * of {@code config/claims.yaml} with both tables as Iceberg tables, and a producer writing claims stamped "now" at a
 * steady rate. Afterwards the tables' snapshots are read from the catalog: commits per minute and the gaps between
 * consecutive snapshots of a table in the steady state (never below {@code catalog.commit-interval}: one committer per
 * table), and per event window the freshness, window end + grace until a snapshot made the window's last file visible.
 * Exits 1 when a gap is below the interval or the rows do not match the claims produced. Options:
 * {@link IcebergBenchOptions}; docs/BENCHMARKS.md.
 */
public final class IcebergFreshnessBenchmark {

    private static final String RAW = "onprem.claims.raw";
    private static final String BUCKET = "bench-iceberg";
    private static final String DATABASE = "claims_lake";
    private static final String RECORDS = "claims";
    private static final String AGGREGATES = "claims_by_account";

    private IcebergFreshnessBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        BenchLogging.quietWithIceberg();
        IcebergBenchOptions o = IcebergBenchOptions.from(System.getProperties());
        MachineInfo.Start start = MachineInfo.announce(o);
        MachineInfo machine = start.machine();
        String loadBefore = start.loadBefore();
        List<TableResult> results = run(o);
        String loadAfter = MachineInfo.loadAverage();
        System.out.println("BENCH-LOAD after loadavg=" + loadAfter);
        for (TableResult r : results) {
            System.out.println(IcebergReport.line(o.catalog(), r));
        }
        String table = IcebergReport.markdown(machine, o.command(), "before " + loadBefore + ", after " + loadAfter,
                results);
        Path file = o.outDir().resolve("iceberg-results.md");
        Files.writeString(file, table);
        System.out.println();
        System.out.println(table);
        System.out.println("Written to " + file.toAbsolutePath());
        boolean ok = results.stream().allMatch(r -> r.status().equals("ok"));
        if (!ok) {
            System.out.println("BENCH-ICEBERG FAILED: " + results.stream().filter(r -> !r.status().equals("ok"))
                    .map(r -> r.figures().table() + "=" + r.status()).toList());
        }
        System.exit(ok ? 0 : 1);
    }

    static List<TableResult> run(IcebergBenchOptions o) throws Exception {
        Path work = BenchDirs.fresh(o.outDir().resolve("iceberg"));
        boolean glue = o.catalog().equals("glue");
        try (ExternalKafka kafka = new ExternalKafka(Map.of(), o.brokerHeap());
             MotoServer moto = glue ? MotoServer.start(work.resolve("moto.log")) : null) {
            kafka.start();
            kafka.createTopic(RAW, o.partitions());
            Map<String, String> aws = Map.of("AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY",
                    MotoServer.SECRET_KEY, "AWS_REGION", MotoServer.REGION, "AWS_EC2_METADATA_DISABLED", "true");
            if (glue) {
                moto.clients().s3().createBucket(b -> b.bucket(BUCKET));
                // the harness reads the catalog through the default credential chain too
                System.setProperty("aws.accessKeyId", MotoServer.ACCESS_KEY);
                System.setProperty("aws.secretAccessKey", MotoServer.SECRET_KEY);
            }
            Path config = IcebergBenchConfig.render(o, work, kafka.bootstrapServers(), glue ? moto : null, BUCKET);
            LakestreamConfig cfg = ConfigLoader.load(config);
            LiveProducer.Produced produced;
            try (LakestreamProcess app = LakestreamProcess.start(config, work, o.heap(), glue ? aws : Map.of())) {
                System.out.println("BENCH-ICEBERG-APP pid=" + app.pid() + " log=" + app.log());
                if (!app.awaitReady(Duration.ofMinutes(3))) {
                    throw new IllegalStateException("lakestream did not become ready; see " + app.log());
                }
                ClaimGenerator claims = new ClaimGenerator(o.rate() * o.duration().toSeconds(), o.recordSize(), 1,
                        ClaimGenerator.DEFAULT_START, 42L);
                produced = LiveProducer.run(kafka.bootstrapServers(), RAW, o.rate(), o.duration(), claims);
                System.out.printf("BENCH-ICEBERG-PRODUCER records=%d rate=%.1f start=%d stop=%d%n",
                        produced.records(), produced.rate(), produced.startMillis(), produced.stopMillis());
                awaitComplete(cfg, o, produced, app);
                app.stop();
            }
            Period steady = new Period(produced.startMillis() + o.warmup().toMillis(), produced.stopMillis());
            try (IcebergCatalogs.Opened catalog = IcebergCatalogs.open(cfg)) {
                ToLongFunction<String> writtenAt = writeTimes(glue ? moto : null);
                List<TableResult> results = new ArrayList<>();
                results.add(result(catalog, RECORDS, "claim_ts", o, steady, produced.records(), writtenAt));
                results.add(result(catalog, AGGREGATES, "window_start", o, steady, produced.records(), writtenAt));
                return results;
            }
        }
    }

    private static TableResult result(IcebergCatalogs.Opened catalog, String name, String eventTime,
                                      IcebergBenchOptions o, Period steady, long produced,
                                      ToLongFunction<String> writtenAt) {
        Table table = catalog.catalog().loadTable(TableIdentifier.of(DATABASE, name));
        IcebergSnapshots.Read read = IcebergSnapshots.read(table, eventTime, o.window().toMillis(), writtenAt);
        TableFigures figures = IcebergCommitFigures.compute(name, read.snapshots(), o.window().toMillis(),
                o.grace().toMillis(), o.commitInterval().toMillis(), steady);
        figures.steadyWindows().forEach(w -> System.out.println(IcebergReport.windowLine(name, w)));
        if (read.unchecked() > 0) {
            System.out.println("BENCH-ICEBERG-NOTE table=" + name + " files_without_bounds=" + read.unchecked());
        }
        Set<String> seen = new HashSet<>();
        int twice = 0;
        for (SnapshotInfo s : read.snapshots()) {
            for (IcebergCommitFigures.AddedFile f : s.added()) {
                twice += seen.add(f.location()) ? 0 : 1;
            }
        }
        // Records: one row per claim. Aggregates: every claim counted once in some account's window.
        long rows = name.equals(RECORDS) ? IcebergSnapshots.rows(table) : IcebergSnapshots.sum(table, "claim_count");
        return new TableResult(figures, rows, produced, read.outsideWindow(), twice);
    }

    /**
     * Waits until the records table holds every claim and the aggregates table the window of the last one (closed by
     * the idle timeout once the producer stopped), or a bound past which something is wrong.
     */
    private static void awaitComplete(LakestreamConfig cfg, IcebergBenchOptions o, LiveProducer.Produced produced,
                                      LakestreamProcess app) throws Exception {
        long lastWindow = produced.stopMillis() / o.window().toMillis() * o.window().toMillis();
        Duration bound = o.window().multipliedBy(2).plus(o.grace()).plus(o.idleTimeout().multipliedBy(2))
                .plus(o.commitInterval().multipliedBy(4)).plusSeconds(60);
        long deadline = System.nanoTime() + bound.toNanos();
        try (IcebergCatalogs.Opened catalog = IcebergCatalogs.open(cfg)) {
            while (System.nanoTime() < deadline && app.isAlive()) {
                try {
                    Table records = catalog.catalog().loadTable(TableIdentifier.of(DATABASE, RECORDS));
                    Table aggregates = catalog.catalog().loadTable(TableIdentifier.of(DATABASE, AGGREGATES));
                    if (IcebergSnapshots.rows(records) >= produced.records() && aggregates.currentSnapshot() != null
                            && IcebergRows.files(aggregates).stream()
                            .anyMatch(f -> IcebergSnapshots.windowStart(f) >= lastWindow)) {
                        return;
                    }
                } catch (NoSuchTableException notYet) {
                    // created at the first commit
                }
                Thread.sleep(2000);
            }
        }
        System.out.println("BENCH-ICEBERG-NOTE tables not complete " + bound.toSeconds() + " s after the producer "
                + "stopped (lakestream " + (app.isAlive() ? "running" : "exited") + "); see " + app.log());
    }

    private static ToLongFunction<String> writeTimes(MotoServer moto) {
        if (moto == null) {
            return IcebergSnapshots::localWriteTime;
        }
        Map<String, Long> times = new HashMap<>(IcebergSnapshots.s3WriteTimes(moto.clients().s3(), BUCKET));
        return location -> times.getOrDefault(location, IcebergCommitFigures.NONE);
    }
}
