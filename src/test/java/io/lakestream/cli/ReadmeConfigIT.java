package io.lakestream.cli;

import io.lakestream.runtime.PortsFactory;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.port.ObjectStore;
import io.lakestream.testing.ConfigTemplates;
import io.lakestream.testing.DuckLake;
import io.lakestream.testing.EmbeddedKafkaExtension;
import io.lakestream.testing.MotoExtension;
import io.lakestream.testing.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Future;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.SeekableByteArrayInput;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipeline written only from the README's configuration reference, unlike the examples in every respect that
 * matters (two source topics, composite key, epoch event time into timestamp-micros, fixed decimal, enum, array,
 * JSON Lines records table, hopping windows, Avro aggregates table, SSE-S3, two stream threads), run with the
 * {@code run --until-caught-up} command against a real (shared) broker and moto.
 */
@ExtendWith({EmbeddedKafkaExtension.class, MotoExtension.class})
class ReadmeConfigIT {

    private static final List<String> TOPICS = List.of("plant.sensors.a", "plant.sensors.b");
    private static final long T0 = Instant.parse("2025-03-10T07:58:00Z").toEpochMilli();

    @TempDir
    Path tmp;

    @Test
    void shouldLandEveryValidReadingExactlyOnceFromAConfigWrittenFromTheReadme(EmbeddedKafka kafka, MotoServer moto)
            throws Exception {
        moto.clients().s3().createBucket(b -> b.bucket("plant-lake"));
        kafka.createTopics(2, TOPICS.toArray(String[]::new));
        Files.copy(Path.of("src/test/resources/readme/sensor.avsc"), tmp.resolve("sensor.avsc"));
        Path config = ConfigTemplates.render(Path.of("src/test/resources/readme/sensors.yaml"), Map.of(
                "APP_ID", "plant-lake", "STATE_DIR", tmp.resolve("state").toString(),
                "KAFKA_BOOTSTRAP", kafka.bootstrapServers(), "AWS_ENDPOINT_URL", moto.endpoint().toString()),
                tmp.resolve("sensors.yaml"));
        Map<String, Reading> produced = produce(kafka.bootstrapServers(), readings(800));

        int exit = Main.execute("run", "--config", config.toString(), "--until-caught-up", "--timeout", "3m");

        assertThat(exit).isZero();
        LakestreamConfig cfg = ConfigLoader.load(config);
        ObjectStore store = PortsFactory.store(cfg);
        assertThat(store.list("raw/plant/sensor_readings/")).isNotEmpty()
                .allMatch(k -> k.matches("raw/plant/sensor_readings/dt=2025-03-10/[^/]+\\.json"));
        DuckLake lake = DuckLake.download(store, "raw/plant/sensor_readings/");
        List<String> landed = lake.query("SELECT _source_topic AS t, _source_partition AS p, _source_offset AS o "
                + "FROM read_json_auto('{lake}/raw/plant/sensor_readings/**/*.json')").stream()
                .map(r -> r.get("t") + "-" + r.get("p") + ":" + r.get("o")).toList();
        Set<String> valid = new HashSet<>();
        produced.forEach((offset, r) -> {
            if (r.valid()) {
                valid.add(offset);
            }
        });
        assertThat(landed).as("each source offset once").doesNotHaveDuplicates();
        assertThat(new HashSet<>(landed)).as("exactly the valid readings").isEqualTo(valid);

        assertThat(landedCounts(store)).isEqualTo(referenceCounts(produced));
        assertThat(moto.clients().glue().getTable(r -> r.databaseName("plant").name("site_temperature")).table()
                .storageDescriptor().serdeInfo().serializationLibrary()).contains("Avro");
    }

    record Reading(String site, String json, long ts, boolean valid) {
    }

    private static List<Reading> readings(int count) {
        Random random = new Random(99);
        List<Reading> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String site = "site-" + (char) ('a' + random.nextInt(3));
            long ts = T0 + i * 1500L + random.nextInt(800);
            String pressure = String.format(Locale.ROOT, "%d.%03d", 90 + random.nextInt(20), random.nextInt(1000));
            String mode = "AUTO";
            boolean valid = true;
            if (i % 37 == 36) {
                valid = false;
                mode = "TURBO"; // unknown enum symbol
            } else if (i % 41 == 40) {
                valid = false;
                pressure = pressure + "5"; // four decimals in a decimal(10,3)
            }
            String json = "{\"id\":\"s-" + random.nextInt(20) + "\",\"location\":{\"site\":\"" + site + "\"},\"ts\":" + ts
                    + ",\"values\":{\"temp\":" + (15 + random.nextInt(200) / 10.0) + ",\"pressure\":\"" + pressure
                    + "\"},\"seq\":" + (4_000_000_000L + i) + ",\"ok\":" + (i % 5 != 0) + ",\"mode\":\"" + mode
                    + "\",\"meta\":{\"fw\":" + (i % 3 == 0 ? "null" : "\"1.2." + i % 7 + "\"") + "},\"tags\":[\"line-"
                    + i % 4 + "\"]}";
            out.add(new Reading(site, json, ts, valid));
        }
        return out;
    }

    private static Map<String, Reading> produce(String bootstrap, List<Reading> readings) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        Map<String, Reading> produced = new HashMap<>();
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < readings.size(); i++) {
                sent.add(producer.send(new ProducerRecord<>(TOPICS.get(i % 2), readings.get(i).site(),
                        readings.get(i).json())));
            }
            for (int i = 0; i < readings.size(); i++) {
                RecordMetadata m = sent.get(i).get();
                produced.put(m.topic() + "-" + m.partition() + ":" + m.offset(), readings.get(i));
            }
        }
        return produced;
    }

    /** Readings per (site, 5-minute window hopping by 1 minute), from the Avro aggregates objects. */
    private static Map<String, Long> landedCounts(ObjectStore store) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        for (String key : store.list("raw/plant/site_temperature/")) {
            assertThat(key).endsWith(".avro");
            try (DataFileReader<GenericRecord> reader = new DataFileReader<>(
                    new SeekableByteArrayInput(store.read(key)), new GenericDatumReader<>())) {
                for (GenericRecord r : reader) {
                    Long previous = counts.put(r.get("site") + "@" + r.get("window_start"),
                            (Long) r.get("readings"));
                    assertThat(previous).as("one row per (site, window)").isNull();
                }
            }
        }
        return counts;
    }

    private static Map<String, Long> referenceCounts(Map<String, Reading> produced) {
        Map<String, Long> counts = new TreeMap<>();
        for (Reading r : produced.values()) {
            if (!r.valid()) {
                continue;
            }
            for (long start = Math.floorDiv(r.ts(), 60_000L) * 60_000L; start > r.ts() - 300_000L; start -= 60_000L) {
                counts.merge(r.site() + "@" + start, 1L, Long::sum);
            }
        }
        return counts;
    }
}
