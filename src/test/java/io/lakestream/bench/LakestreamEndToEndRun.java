package io.lakestream.bench;

import io.lakestream.config.AggregationConfig;
import io.lakestream.config.AlertConfig;
import io.lakestream.config.ApplicationConfig;
import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.PipelineConfig;
import io.lakestream.config.ProtectionConfig;
import io.lakestream.config.TableFormatConfig;
import io.lakestream.demo.LakeSummary;
import io.lakestream.port.Ports;
import io.lakestream.runtime.LakestreamApp;
import io.lakestream.runtime.PortsFactory;
import io.lakestream.runtime.Schemas;
import io.lakestream.testing.AppUnderTest;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * lakestream behind the benchmark seam: the claims pipeline of {@code config/claims.yaml} (records table and the
 * {@code claims_by_account} aggregation, Parquet) on the benchmark's topic, started cold, run until every record
 * has landed and every window is flushed ({@link LakestreamApp#awaitCaughtUp}), then stopped.
 */
final class LakestreamEndToEndRun implements EndToEndRun {

    /**
     * How often the Iceberg variants read the tables' current snapshots (a catalog query, and a metadata file when a
     * commit came): less often than the object counter is sampled, as each read costs the measured JVM more.
     */
    private static final long SNAPSHOT_SAMPLE_MILLIS = 50;

    @Override
    public RunResult run(Request request, LongConsumer landed) throws Exception {
        LakestreamConfig config = config(request);
        PipelineConfig pipeline = config.pipelines().get(0);
        List<String> tables = tableNames(pipeline);
        AppUnderTest app = AppUnderTest.of(config);
        PrometheusMeterRegistry metrics = app.metrics();
        boolean iceberg = request.variant().iceberg();
        long committedRows = -1;
        long committedFiles = -1;
        // Hive tables: the run ends when the last object is written. Iceberg tables: when the commit of the last file
        // is visible in the tables' current snapshots.
        try (app; IcebergCommitted committed = iceberg ? IcebergCommitted.open(config, tables) : null;
             LastChange lastLanding = iceberg ? new LastChange(committed, SNAPSHOT_SAMPLE_MILLIS)
                     : new LastChange(new CounterSum(metrics, "lakestream.objects.written"), 20)) {
            app.start().awaitCaughtUp(Duration.ofMinutes(60));
            // The run ends when the last object landed (or was committed); the caught-up check knows it only after
            // the lake has stayed quiet for a while (QuietPeriod), which is not lakestream's work.
            landed.accept(lastLanding.changedAtNanos());
            if (iceberg) {
                committedRows = committed.rows(pipeline.landing().table());
                committedFiles = committed.files();
            }
        }
        for (String name : List.of("lakestream.records.in", "lakestream.records.out", "lakestream.dlq.records",
                "lakestream.late.records", "lakestream.objects.written")) {
            System.err.printf("METRIC %s %.0f%n", name, sum(metrics, name));
        }
        LakeSummary summary = LakeSummary.of(config, PortsFactory.create(config, new PrometheusMeterRegistry(
                PrometheusConfig.DEFAULT)));
        long objects = summary.tables().stream().mapToLong(LakeSummary.Table::objects).sum();
        long rows = summary.table(pipeline.landing().table()).rows();
        if (iceberg) {
            System.err.printf("ICEBERG committed_rows=%d committed_files=%d landed_rows=%d landed_objects=%d%n",
                    committedRows, committedFiles, rows, objects);
            // Every object the sinks landed is committed, and nothing else: else the end above was not the last commit.
            if (committedFiles != objects) {
                throw new IllegalStateException("the Iceberg tables' current snapshots hold " + committedFiles
                        + " data files, the sinks landed " + objects + " objects");
            }
            rows = committedRows;
        }
        return new RunResult(rows, objects, (long) sum(metrics, "lakestream.bytes.written"),
                (long) Search.in(metrics).name("lakestream.windows.flushed")
                        .tag("table", tables.get(tables.size() - 1)).counters().stream()
                        .mapToDouble(c -> c.count()).sum());
    }

    /** {@code kafka} with the {@code k=v;k=v} settings of {@code overrides} laid over it. */
    static Map<String, String> withOverrides(Map<String, String> kafka, String overrides) {
        Map<String, String> merged = new LinkedHashMap<>(kafka);
        for (String setting : overrides.split(";")) {
            if (setting.isBlank()) {
                continue;
            }
            int eq = setting.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("bench.kafka: '" + setting + "' is not key=value");
            }
            merged.put(setting.substring(0, eq).trim(), setting.substring(eq + 1).trim());
        }
        return merged;
    }

    /**
     * The sum of the counters named {@code name}, sampled every 20 ms in the measured JVM: the search over every meter
     * (Kafka's metrics included) runs once a second for counters created since, not at each sample (at each sample
     * it cost 2 % of the variant's CPU samples).
     */
    private static final class CounterSum implements java.util.function.DoubleSupplier {
        private final PrometheusMeterRegistry metrics;
        private final String name;
        private java.util.Collection<io.micrometer.core.instrument.Counter> counters;
        private long searchedAt;

        CounterSum(PrometheusMeterRegistry metrics, String name) {
            this.metrics = metrics;
            this.name = name;
        }

        @Override
        public synchronized double getAsDouble() {
            long now = System.nanoTime();
            if (counters == null || now - searchedAt > 1_000_000_000L) {
                counters = Search.in(metrics).name(name).counters();
                searchedAt = now;
            }
            return counters.stream().mapToDouble(c -> c.count()).sum();
        }
    }

    private static double sum(PrometheusMeterRegistry metrics, String name) {
        return Search.in(metrics).name(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    /**
     * config/claims.yaml plus three expressions that every record passes through: a derived column, a filter that
     * keeps every claim, and a count with a condition. Written into the run's folder with the schema's path made
     * absolute.
     */
    static Path withExpressions(Path work) {
        try {
            Path shipped = Path.of("config/claims.yaml").toAbsolutePath();
            String yaml = Files.readString(shipped)
                    .replace("schema: ../schemas/claim.avsc",
                            "schema: " + shipped.getParent().resolve("../schemas/claim.avsc").normalize())
                    .replace("    landing: {", "    derive:\n      - { name: amount_cents, expr: \"amount * 100\" }\n"
                            + "    filter: \"status <> 'NO_SUCH_STATUS'\"\n    landing: {")
                    .replace("        measures:\n", "        measures:\n"
                            + "          - { name: big_claims, fn: count, where: \"amount > 1000\" }\n");
            Files.createDirectories(work);
            Path config = work.resolve("claims-expressions.yaml");
            Files.writeString(config, yaml);
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** config/claims.yaml with the benchmark's topic, guarantee, store and a fresh application id. */
    static LakestreamConfig config(Request request) {
        Path work = request.workDir().toAbsolutePath();
        Map<String, String> env = IcebergBenchConfig.environment(work, request.bootstrapServers(),
                "bench-" + request.variant().id() + "-" + System.nanoTime(), request.s3().orElse(null));
        if (request.variant().iceberg()) {
            // The shipped commit interval (also the Iceberg Kafka Connect sink's in the README's comparison): the run
            // ends with the commit of the last files, at most one interval after they landed.
            env.putAll(IcebergBenchConfig.icebergTables(TableFormatConfig.DEFAULT_COMMIT_INTERVAL));
        }
        request.s3().ifPresent(s3 -> {
            // the AWS SDK's default credential chain reads these
            System.setProperty("aws.accessKeyId", s3.accessKeyId());
            System.setProperty("aws.secretAccessKey", s3.secretAccessKey());
        });
        LakestreamConfig c = ConfigLoader.load(request.variant().expressions() ? withExpressions(work)
                : Path.of("config/claims.yaml"), env);
        ApplicationConfig app = c.application();
        ApplicationConfig.ProcessingGuarantee guarantee = request.variant().guarantee() == Variant.Guarantee.EXACTLY_ONCE
                ? ApplicationConfig.ProcessingGuarantee.EXACTLY_ONCE : ApplicationConfig.ProcessingGuarantee.AT_LEAST_ONCE;
        PipelineConfig p = c.pipelines().get(0);
        // Output topics of the run's own: variants share the broker, and a run must not read an earlier one's.
        String prefix = app.id() + ".";
        List<AggregationConfig> aggregations = !request.variant().aggregates() ? List.of()
                : p.aggregations().stream().map(a -> new AggregationConfig(a.name(),
                a.groupBy(), a.window(), a.measures(), prefix + a.name(), a.table(), a.format())).toList();
        PipelineConfig onTopic = new PipelineConfig(p.name(), new PipelineConfig.SourceConfig(List.of(request.topic()),
                p.source().format(), p.source().csv()), p.schemaFile(), p.key(), p.eventTime(), p.fields(),
                prefix + "normalized", prefix + "dlq", p.landing(), aggregations, p.limits(), ProtectionConfig.NONE,
                AlertConfig.none(p.name()), p.derive(), p.filter());
        return new LakestreamConfig(new ApplicationConfig(app.id(), app.stateDir(), guarantee, app.commitInterval()),
                withOverrides(c.kafka(), System.getProperty("bench.kafka", "")), c.registry(), c.lake(), c.catalog(),
                c.http(), List.of(onTopic), tablesOf(c.tableFormats(), onTopic));
    }

    /** {@code formats} with only the Iceberg tables {@code pipeline} lands (not the aggregation a variant left out). */
    static TableFormatConfig tablesOf(TableFormatConfig formats, PipelineConfig pipeline) {
        Map<String, TableFormatConfig.IcebergTableConfig> tables = new LinkedHashMap<>(formats.icebergTables());
        tables.keySet().retainAll(tableNames(pipeline));
        return new TableFormatConfig(formats.defaultFormat(), formats.commitInterval(), tables,
                formats.maintenance());
    }

    /** The records table, then the aggregates tables. */
    static List<String> tableNames(PipelineConfig pipeline) {
        List<String> names = new ArrayList<>(List.of(pipeline.landing().table()));
        pipeline.aggregations().forEach(a -> names.add(a.table()));
        return names;
    }
}
