package io.lakestream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.testing.EmbeddedKafkaExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code infer-schema} on a headerless CSV topic (';'-separated sensor readings, 1 % dirty rows) through the command
 * line and a real broker: the columns are named by {@code --columns}, the dirty values are outliers, not a reason
 * to give up a type.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class InferSchemaCsvIT {

    private static final long T0 = Instant.parse("2024-05-01T10:00:00Z").toEpochMilli();

    @TempDir
    Path tmp;

    @Test
    void shouldProposeDecimalTimestampAndEventTimeForHeaderlessCsvWithDirtyRows(EmbeddedKafka kafka) throws Exception {
        kafka.createTopics(3, "infer.sensors.raw");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < 500; i++) {
                boolean dirty = i % 100 == 42; // 1 %
                String ts = dirty ? "2024-05-01 25:61" : Instant.ofEpochMilli(T0 + i * 1000L).toString();
                String cost = dirty ? "n/a" : String.format(Locale.ROOT, "%d.%02d", i % 90, i % 100);
                producer.send(new ProducerRecord<>("infer.sensors.raw", "S-" + i % 7, "S-" + i % 7 + ";" + ts + ";"
                        + String.format(Locale.ROOT, "%.3f", 40 + (i % 11) * 0.125) + ";" + cost));
            }
        }
        Path avsc = tmp.resolve("sensor.avsc");
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            exit = Main.execute("infer-schema", "--bootstrap", kafka.bootstrapServers(), "--topic", "infer.sensors.raw",
                    "--format", "csv", "--delimiter", ";", "--columns", "sensor_id,ts,humidity,cost",
                    "--samples", "500", "--name", "Reading", "--out", avsc.toString());
        } finally {
            System.setOut(stdout);
        }
        String printed = out.toString(StandardCharsets.UTF_8);

        assertThat(exit).as(printed).isZero();
        Schema schema = new Schema.Parser().parse(avsc.toFile());
        assertThat(schema.getFields()).extracting(Schema.Field::name)
                .containsExactly("sensor_id", "ts", "humidity", "cost");
        assertThat(LogicalTypes.fromSchemaIgnoreInvalid(schema.getField("cost").schema()))
                .isEqualTo(LogicalTypes.decimal(4, 2));
        assertThat(schema.getField("ts").schema().getLogicalType()).isEqualTo(LogicalTypes.timestampMillis());
        assertThat(schema.getField("humidity").schema().getType()).isEqualTo(Schema.Type.DOUBLE);
        assertThat(printed).contains("# event-time: { field: ts, format: iso-8601")
                .contains("5 outlier(s) of 500 value(s) (1.0 %) would go to the dead-letter topic");
    }
}
