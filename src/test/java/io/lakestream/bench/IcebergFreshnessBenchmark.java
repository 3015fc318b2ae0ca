package io.lakestream.bench;

import io.lakestream.bench.IcebergCommitFigures.Period;
import io.lakestream.bench.IcebergCommitFigures.SnapshotInfo;
import io.lakestream.bench.IcebergCommitFigures.TableFigures;
import io.lakestream.bench.IcebergReport.TableResult;
import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.MaintenanceConfig;
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
 * Exits 1 when a gap is below the interval or the rows do not match the claims produced. Meanwhile every
 * {@value #SAMPLE_SECONDS} s a {@link FilesSampler} reads each table's current snapshot: files over time
 * ({@link FilesOverTime}, {@code files-over-time.md}); exit 1 too when a closed hour is not compacted once a maintenance
 * pass was due. With {@code bench.iceberg.eventTimeSpeed} N the claims' event time runs N times faster than the wall
 * clock ({@link EventClock}), so hours close during the run. Options: {@link IcebergBenchOptions};
 * docs/BENCHMARKS.md.
 */
public final class IcebergFreshnessBenchmark {

    private static final String RAW = "onprem.claims.raw";
    private static final String BUCKET = "bench-iceberg";
    private static final String DATABASE = "claims_lake";
    private static final String RECORDS = "claims";
    private static final String AGGREGATES = "claims_by_account";
    private static final int SAMPLE_SECONDS = 10;

    private IcebergFreshnessBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        BenchLogging.quietWithIceberg();
        IcebergBenchOptions o = IcebergBenchOptions.from(System.getProperties());
        MachineInfo.Start start = MachineInfo.announce(o);
        MachineInfo machine = start.machine();
        String loadBefore = start.loadBefore();
        Outcome outcome = run(o);
        List<TableResult> results = outcome.results();
        String loadAfter = MachineInfo.loadAverage();
        System.out.println("BENCH-LOAD after loadavg=" + loadAfter);
        for (TableResult r : results) {
            System.out.println(IcebergReport.line(o.catalog(), r));
        }
        String loads = "before " + loadBefore + ", after " + loadAfter;
        String table = IcebergReport.markdown(machine, o.command(), loads, results);
        Path file = o.outDir().resolve("iceberg-results.md");
        Files.writeString(file, table);
        System.out.println();
        System.out.println(table);
        System.out.println("Written to " + file.toAbsolutePath());
        outcome.files().forEach(f -> System.out.println(FilesOverTime.line(f)));
        String files = FilesOverTime.markdown(IcebergReport.header(machine, o.command(), loads) + "\n" + outcome.rules()
                        + "\n\n", outcome.files(), outcome.samples(), outcome.filesRules());
        Path filesFile = o.outDir().resolve("files-over-time.md");
        Files.writeString(filesFile, files);
        System.out.println();
        System.out.println(files);
        System.out.println("Written to " + filesFile.toAbsolutePath());
        List<String> failed = new ArrayList<>();
        results.stream().filter(r -> !r.status().equals("ok")).forEach(r -> failed.add(r.figures().table() + "="
                + r.status()));
        outcome.files().stream().filter(f -> !f.status().equals("ok")).forEach(f -> failed.add(f.table() + " files="
                + f.status()));
        if (!failed.isEmpty()) {
            System.out.println("BENCH-ICEBERG FAILED: " + failed);
        }
        System.exit(failed.isEmpty() ? 0 : 1);
    }

    /** What a run measured: per table the commit figures, and the files over time with the rules they were judged by. */
    record Outcome(List<TableResult> results, List<FilesOverTime.TableFiles> files, List<FilesOverTime.Sample> samples,
                   FilesOverTime.Rules filesRules, String rules) {
    }

    static Outcome run(IcebergBenchOptions o) throws Exception {
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
            EventClock clock;
            FilesSampler sampler;
            try (LakestreamProcess app = LakestreamProcess.start(config, work, o.heap(), glue ? aws : Map.of());
                 IcebergCatalogs.Opened sampled = IcebergCatalogs.open(cfg)) {
                System.out.println("BENCH-ICEBERG-APP pid=" + app.pid() + " log=" + app.log());
                if (!app.awaitReady(Duration.ofMinutes(3))) {
                    throw new IllegalStateException("lakestream did not become ready; see " + app.log());
                }
                sampler = new FilesSampler(sampled.catalog(), List.of(TableIdentifier.of(DATABASE, RECORDS),
                        TableIdentifier.of(DATABASE, AGGREGATES))).start(Duration.ofSeconds(SAMPLE_SECONDS));
                ClaimGenerator claims = new ClaimGenerator(o.rate() * o.duration().toSeconds(), o.recordSize(), 1,
                        ClaimGenerator.DEFAULT_START, 42L);
                clock = EventClock.starting(System.currentTimeMillis(), o.duration(), o.eventTimeSpeed());
                produced = LiveProducer.run(kafka.bootstrapServers(), RAW, o.rate(), o.duration(), claims, clock);
                System.out.printf("BENCH-ICEBERG-PRODUCER records=%d rate=%.1f start=%d stop=%d event_time_speed=%d "
                                + "event_time_start=%s%n", produced.records(), produced.rate(), produced.startMillis(),
                        produced.stopMillis(), clock.speed(),
                        java.time.Instant.ofEpochMilli(clock.eventAt(produced.startMillis())));
                awaitComplete(cfg, o, produced, clock, app);
                sampler.close();
                if (sampler.lastFailure() != null) {
                    System.out.println("BENCH-FILES-NOTE a sample failed (retried at the next): "
                            + sampler.lastFailure());
                }
                app.stop();
            }
            Period steady = new Period(produced.startMillis() + o.warmup().toMillis(), produced.stopMillis());
            List<TableResult> results = new ArrayList<>();
            try (IcebergCatalogs.Opened catalog = IcebergCatalogs.open(cfg)) {
                ToLongFunction<String> writtenAt = writeTimes(glue ? moto : null);
                results.add(result(catalog, RECORDS, "claim_ts", o, steady, produced.records(), writtenAt, clock));
                results.add(result(catalog, AGGREGATES, "window_start", o, steady, produced.records(), writtenAt,
                        clock));
            }
            MaintenanceConfig maintenance = cfg.tableFormats().maintenance();
            FilesOverTime.Rules rules = new FilesOverTime.Rules(clock,
                    2 * o.window().toMillis() + o.grace().toMillis(), o.commitInterval().toMillis(),
                    maintenance.enabled() ? maintenance.interval().toMillis() : IcebergCommitFigures.NONE);
            List<FilesOverTime.Sample> samples = sampler.samples();
            List<FilesOverTime.TableFiles> files = List.of(
                    FilesOverTime.compute(RECORDS, samples, sampler.commits(RECORDS), rules),
                    FilesOverTime.compute(AGGREGATES, samples, sampler.commits(AGGREGATES), rules));
            String described = "Event time " + clock.speed() + "× the wall clock; maintenance "
                    + (maintenance.enabled() ? "every " + IcebergBenchOptions.seconds(maintenance.interval())
                    + " (target file size " + (maintenance.targetFileSize() >> 20) + " MiB, at most "
                    + (maintenance.maxBytesPerPass() >> 20) + " MiB rewritten per pass)" : "off")
                    + "; commit interval " + IcebergBenchOptions.seconds(o.commitInterval()) + "; a sample every "
                    + SAMPLE_SECONDS + " s. An hour counts as closed from the first sample whose table holds an event "
                    + "time " + IcebergBenchOptions.seconds(Duration.ofMillis(rules.closeAfter())) + " past the "
                    + "hour's end, and its compaction as due a maintenance interval and two commit intervals later.";
            return new Outcome(results, files, samples, rules, described);
        }
    }

    private static TableResult result(IcebergCatalogs.Opened catalog, String name, String eventTime,
                                      IcebergBenchOptions o, Period steady, long produced,
                                      ToLongFunction<String> writtenAt, EventClock clock) {
        Table table = catalog.catalog().loadTable(TableIdentifier.of(DATABASE, name));
        IcebergSnapshots.Read read = IcebergSnapshots.read(table, eventTime, o.window().toMillis(), writtenAt);
        TableFigures figures = IcebergCommitFigures.compute(name, read.snapshots(), o.window().toMillis(),
                o.grace().toMillis(), o.commitInterval().toMillis(), steady, clock);
        figures.steadyWindows().forEach(w -> System.out.println(IcebergReport.windowLine(name, w)));
        if (read.others() > 0) {
            System.out.println("BENCH-ICEBERG-NOTE table=" + name + " compaction_snapshots=" + read.others()
                    + " (not counted among the commits)");
        }
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
                                      EventClock clock, LakestreamProcess app) throws Exception {
        long lastWindow = clock.eventAt(produced.stopMillis()) / o.window().toMillis() * o.window().toMillis();
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
                            .anyMatch(f -> IcebergSnapshots.landed(f) && IcebergSnapshots.windowStart(f) >= lastWindow)) {
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
