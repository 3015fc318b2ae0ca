package io.lakestream.bench;

import io.lakestream.bench.CompactionReadBack.Figures;
import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.iceberg.IcebergCatalogs;
import io.lakestream.testing.DeadLetters;
import io.lakestream.testing.ExternalKafka;
import io.lakestream.testing.LakestreamJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The compaction figure: N claims (100 s windows, about an hour of event time) landed by {@code run --until-caught-up}
 * into an Iceberg records table with maintenance disabled, then one {@code maintain} pass, the real command in a JVM
 * of its own. Before and after, the table's current snapshot is read back independently ({@link CompactionReadBack}):
 * every produced source offset exactly once (Iceberg's reader and DuckDB over exactly the snapshot's files), at most
 * {@value CompactionReport#MAX_FILES_PER_PARTITION} data files per hour partition after, the same aggregate result;
 * files, sizes and DuckDB query times are printed as a markdown table, also written to
 * {@code target/bench/compaction.md}. Exits 1 when a check fails. The local catalog (Iceberg JDBC on SQLite, lake in a
 * folder). Options: {@link CompactionOptions}; docs/BENCHMARKS.md.
 */
public final class CompactionBenchmark {

    private static final String RAW = "onprem.claims.raw";
    private static final TableIdentifier RECORDS = TableIdentifier.of("claims_lake", "claims");
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(60);

    private CompactionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        BenchLogging.quietWithIceberg();
        CompactionOptions o = CompactionOptions.from(System.getProperties());
        MachineInfo.Start start = MachineInfo.announce(o);
        MachineInfo machine = start.machine();
        String loadBefore = start.loadBefore();
        Path work = BenchDirs.fresh(o.outDir().resolve("compaction"));
        try (ExternalKafka kafka = new ExternalKafka(Map.of(), o.brokerHeap())) {
            kafka.start();
            ClaimGenerator claims = new ClaimGenerator(o.records(), o.recordSize(), o.windows(),
                    ClaimGenerator.DEFAULT_START, 42L);
            TopicLoader.LoadedTopic topic = TopicLoader.load(kafka, RAW, o.partitions(), claims, o.recordSize());
            System.out.printf("BENCH-TOPIC topic=%s records=%d avg_bytes=%.0f first=%s last=%s seconds=%.1f%n",
                    topic.topic(), topic.records(), (double) topic.payloadBytes() / topic.records(),
                    topic.firstEventTime(), topic.lastEventTime(), topic.produceSeconds());

            Path config = IcebergBenchConfig.iceberg(work, kafka.bootstrapServers(), "bench-compaction",
                    Duration.ofSeconds(10), null, null);
            Files.writeString(config, IcebergBenchConfig.replaceOnce(Files.readString(config), "\ncatalog:\n",
                    "\ncatalog:\n  maintenance: { enabled: false" + (o.rowGroupSize() == null ? ""
                            : ", row-group-size: " + o.rowGroupSize()) + " }\n"));
            LakestreamConfig cfg = ConfigLoader.load(config);

            double runSeconds = command(o, work, "run.log", "run", "--config", config.toString(), "--until-caught-up",
                    "--timeout", COMMAND_TIMEOUT.toMinutes() + "m").seconds();
            List<DeadLetters.Letter> letters = DeadLetters.read(kafka.bootstrapServers(),
                    cfg.pipelines().get(0).dlqTopic());
            Map<Integer, BitSet> expected = expectedOffsets(kafka.bootstrapServers(), letters);
            long expectedRows = expected.values().stream().mapToLong(BitSet::cardinality).sum();
            Figures before = readBack(cfg, expected, "before");

            Timed maintain = command(o, work, "maintain.log", "maintain", "--config", config.toString(),
                    "--all-partitions");
            Figures after = readBack(cfg, expected, "after");
            CompactionReadBack.Timings timings = CompactionReadBack.time(before.dataFiles(), after.dataFiles());
            System.out.printf("BENCH-COMPACTION-TIMES count_ms_before=%d count_ms_after=%d aggregate_ms_before=%d "
                    + "aggregate_ms_after=%d%n", timings.countBefore(), timings.countAfter(), timings.aggregateBefore(),
                    timings.aggregateAfter());

            String loadAfter = MachineInfo.loadAverage();
            System.out.println("BENCH-LOAD after loadavg=" + loadAfter);
            List<String> maintained = maintain.output().lines().filter(l -> l.startsWith("table ")).toList();
            CompactionReport.Run run = new CompactionReport.Run(o.records(), letters.size(), runSeconds,
                    maintain.seconds(), maintained);
            List<String> problems = CompactionReport.problems(before, after, expectedRows);
            String table = CompactionReport.markdown(machine, o.command(), "before " + loadBefore + ", after "
                    + loadAfter, run, before, after, timings, problems);
            Path file = o.outDir().resolve("compaction.md");
            Files.writeString(file, table);
            System.out.println();
            System.out.println(table);
            System.out.println("Written to " + file.toAbsolutePath());
            kafka.stop();
            System.exit(problems.isEmpty() ? 0 : 1);
        }
    }

    /** A command's wall time and output. */
    private record Timed(double seconds, String output) {
    }

    /** A lakestream command in a JVM of its own; fails unless it exits 0. */
    private static Timed command(CompactionOptions o, Path work, String log, String... args) throws Exception {
        LakestreamJvm.Launch launch = LakestreamProcess.launch(work, o.heap(), log, args);
        long start = System.nanoTime();
        LakestreamJvm.Result result = launch.run(COMMAND_TIMEOUT.plusMinutes(1));
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("BENCH-COMMAND %s exit=%d seconds=%.1f log=%s%n", args[0], result.exit(), seconds,
                work.resolve(log));
        if (result.exit() != 0) {
            throw new IllegalStateException("lakestream " + String.join(" ", args) + " exited " + result.exit()
                    + "; see " + work.resolve(log));
        }
        return new Timed(seconds, result.output());
    }

    private static Figures readBack(LakestreamConfig cfg, Map<Integer, BitSet> expected, String when)
            throws Exception {
        try (IcebergCatalogs.Opened catalog = IcebergCatalogs.open(cfg)) {
            Table table = catalog.catalog().loadTable(RECORDS);
            Figures f = CompactionReadBack.read(table, expected);
            System.out.printf("BENCH-COMPACTION %s snapshots=%d files=%d bytes=%d median_bytes=%d "
                            + "max_files_per_partition=%d iceberg_rows=%d duplicates=%d missing=%d unexpected=%d "
                            + "duck_rows=%d duck_distinct=%d row_groups=%d%n", when,
                    f.snapshots(), f.files(), f.bytes(), f.medianBytes(), f.maxFilesPerPartition(), f.icebergRows(),
                    f.duplicates(), f.missing(), f.unexpected(), f.duckRows(), f.duckDistinct(), f.rowGroups());
            return f;
        }
    }

    /**
     * Every offset of the raw topic (produced without transactions, so offsets 0 to the end of each partition) but
     * those of the dead letters.
     */
    private static Map<Integer, BitSet> expectedOffsets(String bootstrap, List<DeadLetters.Letter> letters)
            throws Exception {
        Map<Integer, BitSet> expected = new TreeMap<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(RAW)).allTopicNames().get().get(RAW).partitions()
                    .forEach(p -> latest.put(new TopicPartition(RAW, p.partition()), OffsetSpec.latest()));
            admin.listOffsets(latest).all().get().forEach((tp, end) -> {
                BitSet offsets = new BitSet();
                offsets.set(0, Math.toIntExact(end.offset()));
                expected.put(tp.partition(), offsets);
            });
        }
        for (DeadLetters.Letter letter : letters) {
            if (RAW.equals(letter.sourceTopic())) {
                String[] po = letter.source().split(":");
                expected.get(Integer.parseInt(po[0])).clear(Math.toIntExact(Long.parseLong(po[1])));
            }
        }
        return expected;
    }
}
