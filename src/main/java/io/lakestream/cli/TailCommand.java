package io.lakestream.cli;

import io.lakestream.config.AggregationConfig;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.PipelineConfig;
import io.lakestream.registry.RegistrySerdes;
import io.lakestream.runtime.ExitCodes;
import io.lakestream.runtime.PortsFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Prints any of lakestream's topics as JSON lines: the normalized, alert and aggregation topics decoded through the
 * configured registry, dead letters with their reason and original bytes, raw and landings topics as they are.
 */
@Command(name = "tail", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Print a topic's records as JSON lines (Avro decoded through the registry; read_committed).")
public final class TailCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Connection connection;

    static final class Connection {
        @Option(names = {"-c", "--config"}, description = "Config file: its Kafka settings, topics and registry.")
        Path config;

        @Option(names = "--bootstrap", description = "Kafka bootstrap servers (PLAINTEXT); Avro values are then "
                + "shown as base64, since there is no registry to decode them.")
        String bootstrap;
    }

    @Parameters(arity = "0..1", paramLabel = "TOPIC", description = "Topic to print (or one of the options below).")
    String topic;

    @Option(names = "--alerts", paramLabel = "PIPELINE", description = "The alert topic of this pipeline.")
    String alerts;

    @Option(names = "--aggregation", paramLabel = "AGGREGATION",
            description = "The result topic of this aggregation (with --config).")
    String aggregation;

    @Option(names = "--dlq", paramLabel = "PIPELINE", description = "The dead-letter topic of this pipeline.")
    String dlq;

    @Option(names = "--from-beginning", description = "Start at the first record instead of the last --max ones.")
    boolean fromBeginning;

    @Option(names = "--max", paramLabel = "N", description = "Without --from-beginning: the last N records "
            + "(default 10); with it: at most N records (default: all).")
    Integer max;

    @Option(names = "--follow", description = "Keep printing new records until Ctrl-C.")
    boolean follow;

    @Option(names = "--timeout", defaultValue = "30s", converter = DurationConverter.class,
            description = "Bound of reaching Kafka and of waiting for the next record before the end "
                    + "(default: ${DEFAULT-VALUE}); exit 3 when it passes.")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        int chosen = (topic == null ? 0 : 1) + (alerts == null ? 0 : 1) + (aggregation == null ? 0 : 1)
                + (dlq == null ? 0 : 1);
        if (chosen != 1) {
            System.err.println("name one topic: TOPIC, --alerts PIPELINE, --aggregation AGGREGATION or --dlq PIPELINE");
            return ExitCodes.BAD_CONFIG;
        }
        Map<String, String> client = new HashMap<>();
        LakestreamConfig cfg = null;
        String name;
        if (connection.config != null) {
            Optional<LakestreamConfig> loaded = CliConfig.load(connection.config);
            if (loaded.isEmpty()) {
                return ExitCodes.BAD_CONFIG;
            }
            cfg = loaded.get();
            client.putAll(cfg.kafka());
            Optional<String> resolved = resolve(cfg);
            if (resolved.isEmpty()) {
                return ExitCodes.BAD_CONFIG;
            }
            name = resolved.get();
        } else {
            if (aggregation != null) {
                System.err.println("--aggregation needs --config (the aggregation names its topic there); "
                        + "give its topic instead");
                return ExitCodes.BAD_CONFIG;
            }
            client.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.bootstrap);
            name = topic != null ? topic : alerts != null ? alerts + ".alerts" : dlq + ".dlq";
        }
        OptionalInt unreachable = CliConfig.kafkaUnreachable(client, timeout, connection.config);
        if (unreachable.isPresent()) {
            return unreachable.getAsInt();
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (RegistrySerdes registry = cfg == null ? null : PortsFactory.registry(cfg, new SimpleMeterRegistry())) {
            RecordJson json = new RecordJson(registry == null ? null : registry.deserializer());
            TopicTail.Options options = new TopicTail.Options(fromBeginning,
                    max != null ? max : fromBeginning ? Long.MAX_VALUE : 10, follow, timeout);
            return new TopicTail(client, name, options).run(r -> out.println(json.render(r).toString()));
        }
    }

    /** The topic named by the options, or empty after saying which pipeline or aggregation does not exist. */
    private Optional<String> resolve(LakestreamConfig cfg) {
        if (topic != null) {
            return Optional.of(topic);
        }
        if (aggregation != null) {
            Optional<String> t = cfg.pipelines().stream().flatMap(p -> p.aggregations().stream())
                    .filter(a -> a.name().equals(aggregation)).map(AggregationConfig::topic).findFirst();
            if (t.isEmpty()) {
                System.err.println("no aggregation named " + aggregation + " in " + connection.config
                        + " (aggregations: " + cfg.pipelines().stream().flatMap(p -> p.aggregations().stream())
                        .map(AggregationConfig::name).collect(Collectors.joining(", ")) + ")");
            }
            return t;
        }
        String pipeline = alerts != null ? alerts : dlq;
        Optional<PipelineConfig> p = cfg.pipelines().stream().filter(x -> x.name().equals(pipeline)).findFirst();
        if (p.isEmpty()) {
            System.err.println("no pipeline named " + pipeline + " in " + connection.config + " (pipelines: "
                    + cfg.pipelines().stream().map(PipelineConfig::name).collect(Collectors.joining(", ")) + ")");
            return Optional.empty();
        }
        return Optional.of(alerts != null ? p.get().alerts().topic() : p.get().dlqTopic());
    }
}
