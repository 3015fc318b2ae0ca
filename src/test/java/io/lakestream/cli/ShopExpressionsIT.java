package io.lakestream.cli;

import io.lakestream.runtime.PortsFactory;
import io.lakestream.runtime.RunReport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lakestream.cli.ShopEvents.Event;
import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.registry.LocalFolderRegistry;
import io.lakestream.testing.ConfigTemplates;
import io.lakestream.testing.DeadLetters;
import io.lakestream.testing.DuckLake;
import io.lakestream.testing.EmbeddedKafkaExtension;
import io.lakestream.testing.TopicRecords;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQL expressions end to end on a generated e-commerce stream ({@code src/test/resources/shop/shop.yaml}): a derived
 * {@code revenue = price * quantity}, the filter {@code event_type <> 'view'}, filtered and computed measures per
 * country and 10 minutes, and a big-order alert rule, run by {@code run --until-caught-up} on a real broker. The
 * expected results are computed by DuckDB from the input's JSON lines with the same SQL, and compared to the cent
 * with the records table and the aggregates table (DuckDB over the landed Parquet) and the alert topic (a
 * read_committed consumer).
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class ShopExpressionsIT {

    private static final String RAW = "shop.events.raw";
    /** The input as DuckDB reads it: prices as the JSON number's text, cast to the schema's decimal(10,2). */
    private static final String INPUT = "(SELECT event_id, event_type, sku, quantity, CAST(price AS DECIMAL(10,2)) AS "
            + "price, country, CAST(ts AS TIMESTAMPTZ) AS ts FROM read_json('{input}', format='newline_delimited', "
            + "columns={event_id: 'VARCHAR', event_type: 'VARCHAR', sku: 'VARCHAR', quantity: 'INTEGER', price: "
            + "'VARCHAR', country: 'VARCHAR', ts: 'VARCHAR'}))";
    /** Three relative standard errors of count_distinct's default sketch (lg-k 12: 1.04 / sqrt(4096)). */
    private static final double DISTINCT_ERROR = 3 * 1.04 / 64;

    @TempDir
    Path tmp;

    @Test
    void shouldLandDerivedRevenueFilteredMeasuresAndAlertsAsDuckDbComputesThemFromTheInput(EmbeddedKafka kafka)
            throws Exception {
        // Three raw partitions read by one stream thread: the aggregation by country, behind a repartition, hears from
        // them in turn and must not stop waiting for one its thread has not started on yet (it did, and left 807
        // on-time records out as late, when a one-second pause was taken for "consumed").
        kafka.createTopics(3, RAW);
        List<Event> events = ShopEvents.generate(2400, 25);
        Map<String, Event> produced = produce(kafka, events);
        Path input = tmp.resolve("input.jsonl");
        Files.write(input, events.stream().filter(Event::valid).map(Event::json).toList());
        Path config = config(kafka);

        Path report = tmp.resolve("report.json");
        CommandOutput run = CommandOutput.run(() -> Main.execute("run", "--config", config.toString(),
                "--until-caught-up", "--timeout", "2m", "--report", report.toString()));

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        LakestreamConfig cfg = ConfigLoader.load(config);
        DuckLake lake = DuckLake.download(PortsFactory.store(cfg), "lakestream/");
        String in = INPUT.replace("{input}", input.toString());

        // Records table: every valid non-view event once, its revenue = price * quantity to the cent (NULL without
        // a quantity); no view landed.
        Map<String, String> expectedRevenue = texts(lake.query("SELECT event_id AS k, CAST(price * quantity AS VARCHAR)"
                + " AS v FROM " + in + " WHERE event_type <> 'view'"));
        List<Map<String, Object>> landed = lake.query("SELECT event_id AS k, CAST(revenue AS VARCHAR) AS v, "
                + "typeof(revenue) AS t, event_type FROM read_parquet('{lake}/lakestream/shop_events/**/*.parquet', "
                + "hive_partitioning=true)");
        assertThat(landed).extracting(r -> r.get("k")).as("each event once").doesNotHaveDuplicates();
        assertThat(landed).extracting(r -> r.get("event_type")).as("views filtered out").doesNotContain("view");
        assertThat(texts(landed)).isEqualTo(expectedRevenue);
        assertThat(expectedRevenue.values()).as("some revenue NULL (no quantity)").containsNull();
        assertThat(landed.get(0).get("t")).isEqualTo("DECIMAL(20,2)");

        // Aggregates: orders and order revenue per country and 10-minute window over the non-view events.
        Map<String, String> expectedAggregates = texts(lake.query("SELECT country || '@' || CAST(epoch_ms(ts) // "
                + "600000 * 600000 AS VARCHAR) AS k, CAST(count(*) FILTER (WHERE event_type = 'order') AS VARCHAR) "
                + "|| ' ' || COALESCE(CAST(sum(price * quantity) FILTER (WHERE event_type = 'order') AS VARCHAR), "
                + "'NULL') AS v FROM " + in + " WHERE event_type <> 'view' GROUP BY ALL"));
        List<Map<String, Object>> aggregates = lake.query("SELECT country || '@' || CAST(epoch_ms(window_start) AS "
                + "VARCHAR) AS k, CAST(orders AS VARCHAR) || ' ' || COALESCE(CAST(order_revenue AS VARCHAR), 'NULL') "
                + "AS v FROM read_parquet('{lake}/lakestream/revenue_by_country/**/*.parquet', "
                + "hive_partitioning=true)");
        assertThat(aggregates).extracting(r -> r.get("k")).as("one row per (country, window)").doesNotHaveDuplicates();
        assertThat(texts(aggregates)).as(run.out()).isEqualTo(expectedAggregates).hasSizeGreaterThanOrEqualTo(25);

        // count_distinct: the skus ordered and the prices seen per (country, window), estimated by the HLL sketch,
        // against DuckDB's exact count(DISTINCT ...), within the documented error (small sets: exact).
        Map<String, String> exactDistinct = texts(lake.query("SELECT country || '@' || CAST(epoch_ms(ts) // 600000 * "
                + "600000 AS VARCHAR) AS k, CAST(count(DISTINCT sku) FILTER (WHERE event_type = 'order') AS VARCHAR) "
                + "|| ' ' || CAST(count(DISTINCT price) AS VARCHAR) AS v FROM " + in + " WHERE event_type <> 'view' "
                + "GROUP BY ALL"));
        Map<String, String> estimated = texts(lake.query("SELECT country || '@' || CAST(epoch_ms(window_start) AS "
                + "VARCHAR) AS k, CAST(order_skus AS VARCHAR) || ' ' || CAST(prices AS VARCHAR) AS v FROM "
                + "read_parquet('{lake}/lakestream/revenue_by_country/**/*.parquet', hive_partitioning=true)"));
        assertThat(estimated.keySet()).isEqualTo(exactDistinct.keySet());
        exactDistinct.forEach((k, v) -> {
            String[] exact = v.split(" ");
            String[] estimate = estimated.get(k).split(" ");
            for (int i = 0; i < 2; i++) {
                long n = Long.parseLong(exact[i]);
                assertThat(Long.parseLong(estimate[i])).as("%s %s", k, i == 0 ? "order_skus" : "prices")
                        .isCloseTo(n, within(Math.round(n * DISTINCT_ERROR)));
            }
        });
        assertThat(exactDistinct.values()).as("windows with more than one sku ordered")
                .anyMatch(v -> Long.parseLong(v.split(" ")[0]) > 1);

        // Alerts: exactly the events DuckDB finds with the rule's condition, each once, read committed.
        List<String> expectedAlerts = lake.query("SELECT event_id FROM " + in + " WHERE event_type = 'order' AND "
                + "price * quantity > 1000 ORDER BY event_id").stream().map(r -> (String) r.get("event_id")).toList();
        LocalFolderRegistry registry = new LocalFolderRegistry(tmp.resolve("registry"));
        List<String> alerted = TopicRecords.readAll(kafka.bootstrapServers(), "shop.alerts").stream().map(r -> {
            assertThat(TopicRecords.header(r, "lakestream.alert.rule")).isEqualTo("big_order");
            GenericRecord alert = registry.deserializer().deserialize("shop.alerts", r.value());
            return alert.get("event_id").toString();
        }).sorted().toList();
        assertThat(alerted).isEqualTo(expectedAlerts).hasSizeGreaterThan(20);

        // Dead letters: exactly the malformed events, by error class (the records table held only valid ones).
        Map<String, String> letters = DeadLetters.read(kafka.bootstrapServers(), "shop.dlq").stream()
                .collect(Collectors.toMap(DeadLetters.Letter::source, DeadLetters.Letter::errorClass));
        Map<String, String> malformed = new TreeMap<>();
        produced.forEach((source, e) -> {
            if (!e.valid()) {
                malformed.put(source, e.kind().name());
            }
        });
        assertThat(new TreeMap<>(letters)).isEqualTo(malformed);
        assertThat(run.out()).contains("run of shop-expressions: caught-up")
                .containsPattern("shop\\.revenue_by_country +revenue_by_country +0\n");
        // The report counts the filtered views apart: neither normalized into the lake nor dead letters.
        long views = ((Number) lake.query("SELECT count(*) AS n FROM " + in + " WHERE event_type = 'view'").get(0)
                .get("n")).longValue();
        RunReport.Pipeline shop = RunReport.fromJson(Files.readString(report)).pipelines().get(0);
        assertThat(shop.filtered()).isEqualTo(views).isPositive();
        assertThat(shop.normalized()).isEqualTo(expectedRevenue.size());
        assertThat(shop.recordsIn()).isEqualTo(events.size());
        assertThat(run.out()).containsPattern("shop +" + events.size() + " +" + expectedRevenue.size() + " +" + views
                + " +" + malformed.size() + " ");
    }

    private static Map<String, String> texts(List<Map<String, Object>> rows) {
        Map<String, String> m = new TreeMap<>();
        rows.forEach(r -> m.put(String.valueOf(r.get("k")), r.get("v") == null ? null : r.get("v").toString()));
        return m;
    }

    private Path config(EmbeddedKafka kafka) throws Exception {
        Files.createDirectories(tmp.resolve("schemas"));
        Files.copy(Path.of("src/test/resources/shop/shop_event.avsc"), tmp.resolve("schemas/shop_event.avsc"));
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        env.put("LAKESTREAM_APP_ID", "shop-expressions");
        env.put("LAKESTREAM_STATE_DIR", tmp.resolve("state").toString());
        env.put("LAKE_DIR", tmp.resolve("lake").toString());
        env.put("REGISTRY_DIR", tmp.resolve("registry").toString());
        env.put("RAW_TOPIC", RAW);
        return ConfigTemplates.render(Path.of("src/test/resources/shop/shop.yaml"), env,
                tmp.resolve("config/shop.yaml"));
    }

    /** Events keyed by event id, as the pipeline keys them, in event-time order; returns them by "partition:offset". */
    private static Map<String, Event> produce(EmbeddedKafka kafka, List<Event> events) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        Map<String, Event> produced = new HashMap<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                sent.add(producer.send(new ProducerRecord<>(RAW, events.get(i).id(),
                        events.get(i).json().getBytes(StandardCharsets.UTF_8))));
            }
            for (int i = 0; i < events.size(); i++) {
                RecordMetadata m = sent.get(i).get();
                produced.put(m.partition() + ":" + m.offset(), events.get(i));
            }
        }
        return produced;
    }
}
