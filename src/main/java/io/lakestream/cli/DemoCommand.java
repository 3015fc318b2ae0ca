package io.lakestream.cli;

import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.PipelineConfig;
import io.lakestream.demo.AvroText;
import io.lakestream.demo.LakeSummary;
import io.lakestream.demo.SampleClaims;
import io.lakestream.demo.TopicReader;
import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.iceberg.IcebergCatalogs;
import io.lakestream.iceberg.IcebergDemo;
import io.lakestream.port.Ports;
import io.lakestream.runtime.ExitCodes;
import io.lakestream.runtime.LakestreamApp;
import io.lakestream.runtime.PortsFactory;
import io.lakestream.runtime.Schemas;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The embedded default: an in-process Kafka broker, sample claims (with malformed and late ones), the claims
 * pipeline of {@code config/claims.yaml} on the local adapters, and a summary of what landed.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Run the claims pipeline on an embedded Kafka broker into a local lake folder.")
final class DemoCommand implements Callable<Integer> {

    private static final String RAW_TOPIC = "onprem.claims.raw";
    private static final String DEMO_MARKER = ".lakestream-demo";

    @Option(names = "--lake", defaultValue = "lake", description = "Lake folder (default: ${DEFAULT-VALUE}).")
    Path lake;

    @Option(names = "--records", defaultValue = "3000", description = "Sample claims to produce (default: ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--partitions", defaultValue = "3", description = "Partitions of the raw topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--iceberg", description = "Land Apache Iceberg tables (embedded JDBC catalog on SQLite in the "
            + "lake folder) instead of Hive-style objects, and print their snapshots and rows.")
    boolean iceberg;

    @Option(names = "--verbose", description = "Show lakestream's and Kafka's logs (on stderr).")
    boolean verbose;

    @Option(names = "--timeout", defaultValue = "5m", converter = DurationConverter.class,
            description = "Give up after this long (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        if (BrokerJar.missing("demo")) {
            return ExitCodes.BAD_CONFIG;
        }
        Instant started = Instant.now();
        if (!verbose) {
            quietLogs();
        }
        if (!prepareLakeFolder()) {
            return 2;
        }
        Path work = Files.createTempDirectory("lakestream-demo");
        say("starting an embedded Kafka broker");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            LakestreamConfig config = config(work, kafka.bootstrapServers());
            PipelineConfig pipeline = config.pipelines().get(0);
            kafka.createTopics(partitions, RAW_TOPIC);
            PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            Ports ports = PortsFactory.create(config, metrics);
            List<SampleClaims.Claim> claims = SampleClaims.generate(records, 1800, 42);
            long bad = claims.stream().filter(c -> !c.valid()).count();
            long late = claims.stream().filter(c -> c.kind() == SampleClaims.Kind.LATE).count();
            ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "demo-progress");
                t.setDaemon(true);
                return t;
            });
            try (LakestreamApp app = new LakestreamApp(config, Schemas.load(config), ports, metrics)) {
                app.start();
                say("pipeline '%s' running; producing %d sample claims (%d malformed, %d late) to %s",
                        pipeline.name(), claims.size(), bad, late, RAW_TOPIC);
                progress.scheduleAtFixedRate(() -> say("  %s records normalized, %s in the DLQ, %s objects landed",
                                count(metrics, "lakestream.records.out"), count(metrics, "lakestream.dlq.records"),
                                count(metrics, "lakestream.objects.written")), 2, 2, TimeUnit.SECONDS);
                produce(kafka.bootstrapServers(), claims);
                say("all claims produced; waiting until every window is closed and landed");
                app.awaitCaughtUp(timeout);
                progress.shutdownNow();
                printSummary(config, ports, kafka.bootstrapServers(), pipeline, started);
            } finally {
                progress.shutdownNow();
            }
        } finally {
            deleteQuietly(work);
        }
        return 0;
    }

    /**
     * The demo owns its lake folder: a folder from an earlier demo run (marked) is emptied, any other non-empty
     * folder is left alone and the demo stops.
     */
    private boolean prepareLakeFolder() throws IOException {
        Path marker = lake.resolve(DEMO_MARKER);
        if (Files.isDirectory(lake)) {
            try (Stream<Path> entries = Files.list(lake)) {
                if (entries.findAny().isPresent()) {
                    if (!Files.exists(marker)) {
                        System.err.println("the folder " + lake.toAbsolutePath() + " is not empty and was not made "
                                + "by an earlier demo run; choose another with --lake DIR");
                        return false;
                    }
                    say("removing the previous demo run from %s", lake.toAbsolutePath());
                    try (Stream<Path> old = Files.list(lake)) {
                        old.forEach(DemoCommand::deleteQuietly);
                    }
                }
            }
        }
        Files.createDirectories(lake);
        Files.writeString(marker, "made by lakestream demo; the next demo run empties this folder\n");
        return true;
    }

    private static void quietLogs() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
            for (ch.qos.logback.classic.Logger logger : ctx.getLoggerList()) {
                if (logger.getLevel() != null) {
                    logger.setLevel(ch.qos.logback.classic.Level.ERROR);
                }
            }
        }
    }

    private LakestreamConfig config(Path work, String bootstrap) throws IOException {
        Path configDir = Files.createDirectories(work.resolve("config"));
        Path schemaDir = Files.createDirectories(work.resolve("schemas"));
        copyResource("config/claims.yaml", configDir.resolve("claims.yaml"));
        copyResource("schemas/claim.avsc", schemaDir.resolve("claim.avsc"));
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP", bootstrap);
        env.put("LAKESTREAM_APP_ID", "claims-demo");
        env.put("LAKESTREAM_STATE_DIR", work.resolve("state").toString());
        env.put("LAKE_DIR", lake.toAbsolutePath().toString());
        env.put("REGISTRY_DIR", lake.toAbsolutePath().resolve(".registry").toString());
        env.put("HTTP_PORT", "0");
        if (iceberg) {
            env.put("LAKE_TABLE_FORMAT", "iceberg");
            env.put("CATALOG_COMMIT_INTERVAL", "2s");
        }
        return ConfigLoader.load(configDir.resolve("claims.yaml"), env);
    }

    private static void copyResource(String name, Path target) throws IOException {
        try (InputStream in = DemoCommand.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the lakestream jar; rebuild it");
            }
            Files.copy(in, target);
        }
    }

    private static void produce(String bootstrap, List<SampleClaims.Claim> claims) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<String, byte[]> producer =
                     new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (SampleClaims.Claim c : claims) {
                producer.send(new ProducerRecord<>(RAW_TOPIC, c.key(), c.value()));
            }
            producer.flush();
        }
    }

    private void printSummary(LakestreamConfig config, Ports ports, String bootstrap, PipelineConfig pipeline,
                              Instant started) throws Exception {
        if (!config.tableFormats().icebergTables().isEmpty()) {
            System.out.println();
            // The read-back is inspect's: what a user can run on their own tables.
            for (Map<String, Object> table : InspectCommand.inspect(config, TableInspector.tables(config), false)) {
                System.out.print(TableInspector.text(table));
            }
            IcebergDemo.print(config, System.out);
        } else {
            LakeSummary summary = LakeSummary.of(config, ports);
            System.out.println();
            System.out.printf("lakestream demo finished in %d s%n",
                    Duration.between(started, Instant.now()).toSeconds());
            System.out.printf("%-20s %10s %8s %12s %8s  %s%n", "table", "partitions", "objects", "late objects",
                    "rows", "location");
            for (LakeSummary.Table t : summary.tables()) {
                System.out.printf("%-20s %10d %8d %12d %8d  %s%n", t.name(), t.partitions(), t.objects(),
                        t.lateObjects(), t.rows(), t.location());
            }
        }
        List<ConsumerRecord<byte[], byte[]>> dlq = readAll(bootstrap, pipeline.dlqTopic());
        Map<String, Integer> byClass = new java.util.TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : dlq) {
            String errorClass = TopicReader.header(r, "lakestream.error.class");
            byClass.merge(errorClass == null ? "?" : errorClass, 1, Integer::sum);
        }
        System.out.printf("dead-letter topic %s: %d records %s%n", pipeline.dlqTopic(), dlq.size(), byClass);
        if (!pipeline.aggregations().isEmpty()) {
            var aggregation = pipeline.aggregations().get(0);
            var deserializer = ports.registry().deserializer();
            // Records without a value are the aggregation's progress marks, not results.
            List<ConsumerRecord<byte[], byte[]>> results = readAll(bootstrap, aggregation.topic()).stream()
                    .filter(r -> r.value() != null).toList();
            System.out.printf("aggregation %s: %d results, for example:%n", aggregation.name(), results.size());
            results.stream().limit(5).forEach(r -> {
                GenericRecord g = deserializer.deserialize(aggregation.topic(), r.value());
                System.out.println("  " + AvroText.format(g));
            });
        }
        System.out.printf(config.tableFormats().icebergTables().isEmpty()
                ? "the lake is in %s (Parquet, Hive-style dt=/hour= partitions; catalog files .lakestream-*.json beside"
                + " each table)%n" : "the lake is in %s (Iceberg tables; JDBC catalog iceberg-catalog.db, catalog name "
                + IcebergCatalogs.LOCAL_CATALOG_NAME + ")%n", config.lake().localDir().toAbsolutePath());
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic) {
        return TopicReader.readAll(bootstrap, topic, Duration.ofSeconds(30));
    }

    private static String count(PrometheusMeterRegistry metrics, String name) {
        double total = Search.in(metrics).name(name).counters().stream().mapToDouble(c -> c.count()).sum();
        return String.valueOf((long) total);
    }

    private static void say(String format, Object... args) {
        System.out.println("[demo] " + String.format(format, args));
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
