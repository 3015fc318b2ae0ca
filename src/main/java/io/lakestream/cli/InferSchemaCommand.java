package io.lakestream.cli;

import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.PipelineConfig;
import io.lakestream.infer.InferredSchema;
import io.lakestream.infer.SchemaInferenceException;
import io.lakestream.infer.SchemaInferrer;
import io.lakestream.runtime.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Schema detection: samples a raw topic and proposes an Avro schema and the {@code fields:} mapping. */
@Command(name = "infer-schema", mixinStandardHelpOptions = true, description = "Sample a raw topic and write a proposed .avsc and field mapping.")
final class InferSchemaCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = {"-c", "--config"}, description = "Config file: sample the source of --pipeline.")
        Path config;

        @Option(names = "--bootstrap", description = "Kafka bootstrap servers (PLAINTEXT), with --topic.")
        String bootstrap;
    }

    @Option(names = "--pipeline", description = "Pipeline of --config (default: the first).")
    String pipeline;

    @Option(names = "--topic", description = "Topic to sample (with --bootstrap).")
    String topic;

    @Option(names = "--format", defaultValue = "json",
            description = "json or csv with --bootstrap (csv: a header line, or name the columns with --columns).")
    String format;

    @Option(names = "--columns", split = ",", paramLabel = "a,b,c",
            description = "Column names of headerless CSV (with --bootstrap --format csv).")
    List<String> columns;

    @Option(names = "--delimiter", defaultValue = ",", description = "CSV delimiter (default: ${DEFAULT-VALUE}).")
    char delimiter;

    @Option(names = "--timeout", defaultValue = "30s", converter = DurationConverter.class,
            description = "Bound of reaching Kafka and sampling (default: ${DEFAULT-VALUE}); exit 3 when it passes.")
    Duration timeout;

    @Option(names = "--samples", defaultValue = "1000", description = "Records to sample (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--name", defaultValue = "Record", description = "Avro record name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--namespace", description = "Avro namespace.")
    String namespace;

    @Option(names = "--out", required = true, description = "Where to write the .avsc.")
    Path out;

    @Override
    public Integer call() throws Exception {
        Map<String, String> client = new HashMap<>();
        PipelineConfig.SourceConfig sourceConfig;
        List<String> topics;
        if (source.config != null) {
            Optional<LakestreamConfig> loaded = CliConfig.load(source.config);
            if (loaded.isEmpty()) {
                return ExitCodes.BAD_CONFIG;
            }
            LakestreamConfig cfg = loaded.get();
            PipelineConfig p = cfg.pipelines().stream().filter(x -> pipeline == null || x.name().equals(pipeline))
                    .findFirst().orElse(null);
            if (p == null) {
                System.err.println("no pipeline named " + pipeline + " in " + source.config);
                return 2;
            }
            client.putAll(cfg.kafka());
            sourceConfig = p.source();
            topics = p.source().topics();
        } else {
            if (topic == null) {
                System.err.println("--topic is required with --bootstrap");
                return 2;
            }
            client.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, source.bootstrap);
            PipelineConfig.InputFormat f = "csv".equalsIgnoreCase(format) ? PipelineConfig.InputFormat.CSV
                    : PipelineConfig.InputFormat.JSON;
            sourceConfig = new PipelineConfig.SourceConfig(List.of(topic), f,
                    f == PipelineConfig.InputFormat.CSV ? new PipelineConfig.CsvOptions(columns == null, delimiter,
                            '"', columns == null ? List.of() : List.copyOf(columns)) : null);
            topics = List.of(topic);
        }
        OptionalInt unreachable = CliConfig.kafkaUnreachable(client, timeout, source.config);
        if (unreachable.isPresent()) {
            return unreachable.getAsInt();
        }
        List<byte[]> values = TopicSampler.sample(client, topics, samples, timeout, false).stream()
                .map(ConsumerRecord::value).toList();
        System.err.printf("sampled %d record(s) from %s%n", values.size(), topics);
        InferredSchema inferred;
        try {
            inferred = new SchemaInferrer(name, namespace).infer(values, sourceConfig);
        } catch (SchemaInferenceException e) {
            System.err.println("cannot infer a schema: " + e.getMessage());
            return 1;
        }
        Files.writeString(out, inferred.toAvsc());
        System.out.println("# wrote " + out);
        System.out.println(inferred.summary());
        System.out.println("# paste under your pipeline (schema: " + out + "):");
        System.out.print(inferred.mappingStub(4));
        return 0;
    }
}
