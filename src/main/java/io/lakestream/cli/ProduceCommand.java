package io.lakestream.cli;

import io.lakestream.runtime.ExitCodes;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Puts a file (or stdin) on a topic, one record a line, so that trying lakestream needs no Kafka tools. */
@Command(name = "produce", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write a file of JSON or CSV lines to a topic, one record a line.")
public final class ProduceCommand implements Callable<Integer> {

    @Option(names = "--bootstrap", required = true, description = "Kafka bootstrap servers (PLAINTEXT).")
    String bootstrap;

    @Option(names = "--topic", required = true, description = "Topic to write to (it must exist).")
    String topic;

    @Option(names = "--format", defaultValue = "json", description = "json or csv (default: ${DEFAULT-VALUE}).")
    LineKeys.Format format;

    @Option(names = "--key-field", paramLabel = "F", description = "Record key from this field: a JSON field "
            + "(a.b for a nested one), a CSV column named in the --header line, or a CSV column number (1 = first). "
            + "Without it records have no key.")
    String keyField;

    @Option(names = "--header", description = "CSV: the first line names the columns and is not sent.")
    boolean header;

    @Option(names = "--delimiter", defaultValue = ",", description = "CSV delimiter (default: ${DEFAULT-VALUE}).")
    char delimiter;

    @Option(names = "--timeout", defaultValue = "30s", converter = DurationConverter.class,
            description = "Bound of reaching Kafka and of the last acknowledgement (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Parameters(paramLabel = "FILE|-", description = "File of one record a line; - reads stdin.")
    String file;

    @Override
    public Integer call() throws Exception {
        if (!"-".equals(file) && !Files.isReadable(Path.of(file))) {
            System.err.println("cannot read " + file);
            return ExitCodes.BAD_CONFIG;
        }
        Map<String, String> client = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        OptionalInt unreachable = CliConfig.kafkaUnreachable(client, timeout, null);
        if (unreachable.isPresent()) {
            return unreachable.getAsInt();
        }
        Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "lakestream-produce");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout.toMillis()));
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        LineKeys keys = null;
        try (BufferedReader in = new BufferedReader("-".equals(file)
                ? new InputStreamReader(System.in, StandardCharsets.UTF_8)
                : Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8));
             KafkaProducer<String, byte[]> producer =
                     new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                if (keys == null) {
                    try {
                        keys = new LineKeys(format, keyField, delimiter, header ? line : null);
                    } catch (IllegalArgumentException e) {
                        System.err.println(e.getMessage());
                        return ExitCodes.BAD_CONFIG;
                    }
                    if (header) {
                        continue;
                    }
                }
                sent.add(producer.send(new ProducerRecord<>(topic, keys.key(line),
                        line.getBytes(StandardCharsets.UTF_8))));
            }
            producer.flush();
            for (Future<RecordMetadata> f : sent) {
                f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            System.err.println("cannot write to " + topic + ": " + (e.getCause() == null ? e : e.getCause())
                    .getMessage());
            return e instanceof TimeoutException ? ExitCodes.TIMEOUT : ExitCodes.FAILURE;
        }
        System.out.printf("produced %d record(s) to %s%n", sent.size(), topic);
        if (keys != null && keys.unkeyed() > 0) {
            System.out.printf("%d of them without a key: no %s in the line (malformed, or the field is missing)%n",
                    keys.unkeyed(), keyField);
        }
        return ExitCodes.OK;
    }
}
