package io.lakestream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakestream.demo.SampleClaims;
import io.lakestream.demo.SampleClaims.Claim;
import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.testing.DuckLake;
import io.lakestream.testing.EmbeddedKafkaExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code produce} puts a JSON and a CSV file on raw topics (read back by a plain consumer), one {@code run} lands
 * them (read back with DuckDB), and {@code tail} prints every kind of topic the run wrote: normalized records,
 * alerts and aggregates decoded through the registry, dead letters with their reason and bytes (text, or base64
 * for a binary record), a raw topic as is. A real broker and the local adapters.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TailProduceIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] BINARY = {(byte) 0xff, (byte) 0xfe, 0x00, (byte) 0x81, 0x7b, (byte) 0xc3};

    private final String run = "tp" + UUID.randomUUID().toString().substring(0, 6);
    private final String claimsRaw = run + ".claims.raw";
    private final String paymentsRaw = run + ".payments.raw";
    private EmbeddedKafka kafka;
    private Path dir;
    private Path config;
    private List<Claim> claims;
    private List<String> paymentLines;
    private int producedExit;

    @BeforeAll
    void produceAndRun(EmbeddedKafka broker) throws Exception {
        kafka = broker;
        dir = Files.createTempDirectory("tail-produce");
        kafka.createTopics(3, claimsRaw, paymentsRaw);
        claims = SampleClaims.generate(240, 400, 11);
        Path claimsFile = dir.resolve("claims.jsonl");
        Files.write(claimsFile, claims.stream().map(c -> new String(c.value(), StandardCharsets.UTF_8)).toList());
        paymentLines = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            paymentLines.add("P-" + i + ";C-" + (i % 7) + ";" + (10 + i) + ".50;EUR;01/05/2024 10:"
                    + String.format("%02d", i % 60) + ":00;2024-05-02;ref " + i);
        }
        paymentLines.add("P-bad;C-1;not money;EUR;01/05/2024 10:00:00;2024-05-02;x");
        Path paymentsFile = dir.resolve("payments.csv");
        List<String> csv = new ArrayList<>(List.of("id;claim;amount;currency;paid;value_date;reference"));
        csv.addAll(paymentLines);
        Files.write(paymentsFile, csv);

        producedExit = Main.execute("produce", "--bootstrap", kafka.bootstrapServers(), "--topic", claimsRaw,
                "--key-field", "account.id", claimsFile.toString())
                + Main.execute("produce", "--bootstrap", kafka.bootstrapServers(), "--topic", paymentsRaw,
                "--format", "csv", "--delimiter", ";", "--header", "--key-field", "claim", paymentsFile.toString());
        sendBinaryRecord();
        config = writeConfig();
        assertThat(Main.execute("run", "--config", config.toString(), "--until-caught-up", "--timeout", "2m"))
                .as("run exit code").isZero();
    }

    @Test
    void shouldPutEachLineOnTheTopicKeyedByTheKeyFieldAndSkipTheCsvHeader() {
        assertThat(producedExit).isZero();
        List<ConsumerRecord<String, String>> claimRecords = readCommitted(claimsRaw);
        Map<String, String> keyByValue = new HashMap<>();
        claimRecords.forEach(r -> keyByValue.put(r.value(), r.key()));
        assertThat(claimRecords).hasSize(claims.size() + 1); // the binary record sent by the test itself
        for (Claim c : claims) {
            String line = new String(c.value(), StandardCharsets.UTF_8);
            // a malformed JSON line is sent all the same, without a key: it is for the DLQ to classify
            assertThat(keyByValue).containsEntry(line, c.kind() == SampleClaims.Kind.MALFORMED_JSON ? null : c.key());
        }
        List<ConsumerRecord<String, String>> payments = readCommitted(paymentsRaw);
        assertThat(payments).extracting(ConsumerRecord::value).containsExactlyInAnyOrderElementsOf(paymentLines);
        assertThat(payments).allSatisfy(r -> assertThat(r.key()).isEqualTo(r.value().split(";")[1]));
    }

    @Test
    void shouldLandWhatProduceWrote() {
        DuckLake lake = DuckLake.at(dir.resolve("lake"));
        List<String> claimIds = lake.query("SELECT claim_id FROM read_parquet('{lake}/lakestream/" + run
                + "_claims/**/*.parquet', hive_partitioning=true)").stream().map(r -> (String) r.get("claim_id"))
                .toList();
        assertThat(claimIds).containsExactlyInAnyOrderElementsOf(validClaimIds());
        List<String> paymentIds = lake.query("SELECT payment_id FROM read_parquet('{lake}/lakestream/" + run
                + "_payments/**/*.parquet', hive_partitioning=true)").stream().map(r -> (String) r.get("payment_id"))
                .toList();
        assertThat(paymentIds).containsExactlyInAnyOrderElementsOf(
                paymentLines.stream().map(l -> l.split(";")[0]).filter(id -> !id.equals("P-bad")).toList());
    }

    @Test
    void shouldDecodeNormalizedAlertAndAggregateTopicsThroughTheRegistry() throws Exception {
        List<JsonNode> normalized = tail(run + "claims.normalized", "--from-beginning");
        assertThat(normalized).extracting(n -> n.at("/value/claim_id").asText())
                .containsExactlyInAnyOrderElementsOf(validClaimIds());
        Claim first = claims.get(0);
        JsonNode source = JSON.readTree(first.value());
        JsonNode one = normalized.stream().filter(n -> n.at("/value/claim_id").asText()
                .equals(source.get("claimId").asText())).findFirst().orElseThrow();
        assertThat(one.at("/value/amount").decimalValue()).isEqualByComparingTo(source.get("amount").asText());
        assertThat(one.at("/value/claim_ts").asText()).isEqualTo(source.get("claimTs").asText());
        assertThat(one.at("/value/status").asText()).isEqualTo(source.get("status").asText());
        assertThat(one.get("key").asText()).isEqualTo(first.key());

        List<JsonNode> alerts = tail("--alerts", run + "claims", "--from-beginning");
        List<String> rejected = claims.stream().filter(Claim::valid).map(c -> readTree(c.value()))
                .filter(n -> n.get("status").asText().equals("REJECTED")).map(n -> n.get("claimId").asText()).toList();
        assertThat(rejected).isNotEmpty();
        assertThat(alerts).extracting(n -> n.at("/value/claim_id").asText()).containsExactlyInAnyOrderElementsOf(rejected);
        assertThat(alerts).allSatisfy(n -> assertThat(n.at("/headers/lakestream.alert.rule").asText())
                .isEqualTo("rejected"));

        List<JsonNode> printed = tail("--aggregation", run + "claims_by_account", "--from-beginning");
        // progress marks (no key, no value) are records of the topic too: printed with "value": null
        assertThat(printed).anyMatch(n -> n.get("value").isNull() && n.get("key").isNull());
        List<JsonNode> aggregates = printed.stream().filter(n -> n.get("value").isObject()).toList();
        assertThat(aggregates.stream().mapToLong(n -> n.at("/value/claim_count").asLong()).sum())
                .isEqualTo(validClaimIds().size());
        BigDecimal total = aggregates.stream().map(n -> n.at("/value/amount_total").decimalValue())
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(total).isEqualByComparingTo(claims.stream().filter(Claim::valid)
                .map(c -> new BigDecimal(readTree(c.value()).get("amount").asText()))
                .reduce(BigDecimal.ZERO, BigDecimal::add));
        assertThat(aggregates.get(0).at("/value/window_start").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    }

    @Test
    void shouldShowDeadLettersWithReasonAndOriginalBytesAsTextOrBase64() throws Exception {
        List<JsonNode> dead = tail("--dlq", run + "claims", "--from-beginning");
        long invalid = claims.stream().filter(c -> !c.valid()).count();
        assertThat(dead).hasSize((int) invalid + 1);
        JsonNode binary = dead.stream().filter(n -> n.has("value_base64")).findFirst().orElseThrow();
        assertThat(Base64.getDecoder().decode(binary.get("value_base64").asText())).isEqualTo(BINARY);
        assertThat(binary.get("error_class").asText()).isEqualTo("INVALID_UTF8");
        assertThat(binary.at("/source/topic").asText()).isEqualTo(claimsRaw);
        assertThat(binary.at("/source/offset").isNumber()).isTrue();
        Claim malformed = claims.stream().filter(c -> c.kind() == SampleClaims.Kind.UNKNOWN_ENUM).findFirst()
                .orElseThrow();
        JsonNode text = dead.stream().filter(n -> n.path("value").asText()
                .equals(new String(malformed.value(), StandardCharsets.UTF_8))).findFirst().orElseThrow();
        assertThat(text.get("error_class").asText()).isEqualTo("UNKNOWN_ENUM");
        assertThat(text.get("error_message").asText()).contains("LOST_IN_MAIL");
        assertThat(text.get("pipeline").asText()).isEqualTo(run + "claims");
    }

    @Test
    void shouldPrintARawJsonTopicAsItIsAndOnlyTheLastRecordsByDefault() throws Exception {
        List<JsonNode> last = tail(claimsRaw, "--max", "5");
        assertThat(last).hasSize(5);
        List<JsonNode> all = tail(claimsRaw, "--from-beginning");
        assertThat(all).hasSize(claims.size() + 1);
        Claim valid = claims.stream().filter(Claim::valid).findFirst().orElseThrow();
        assertThat(all).extracting(n -> n.get("value")).contains(readTree(valid.value()));
        assertThat(last).allSatisfy(n -> assertThat(all).contains(n));
    }

    private List<String> validClaimIds() {
        return claims.stream().filter(Claim::valid).map(c -> readTree(c.value()).get("claimId").asText()).toList();
    }

    private static JsonNode readTree(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code tail --config … args} and parses each line it printed. */
    private List<JsonNode> tail(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("tail", "--config", config.toString()));
        command.addAll(List.of(args));
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit;
        synchronized (TailProduceIT.class) {
            try {
                System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
                exit = Main.execute(command.toArray(String[]::new));
            } finally {
                System.setOut(stdout);
            }
        }
        assertThat(exit).as("tail " + command).isZero();
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                nodes.add(JSON.readTree(line));
            }
        }
        return nodes;
    }

    private void sendBinaryRecord() throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(claimsRaw, "A-001", BINARY)).get();
        }
    }

    private List<ConsumerRecord<String, String>> readCommitted(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int quiet = 0;
            while (System.nanoTime() < deadline && quiet < 5) {
                var records = consumer.poll(Duration.ofMillis(300));
                quiet = records.isEmpty() && !out.isEmpty() ? quiet + 1 : 0;
                records.forEach(out::add);
            }
        }
        return out;
    }

    private Path writeConfig() throws IOException {
        Files.copy(Path.of("schemas/claim.avsc"), dir.resolve("claim.avsc"));
        Files.copy(Path.of("schemas/payment.avsc"), dir.resolve("payment.avsc"));
        String yaml = """
                application: { id: %1$s, state-dir: %2$s/state }
                kafka: { bootstrap.servers: "%3$s" }
                registry: { type: local, local-dir: %2$s/registry }
                lake: { store: local, local-dir: %2$s/lake, prefix: lakestream/ }
                catalog: { type: local, database: tail_produce }
                http: { port: 0 }
                pipelines:
                  - name: %1$sclaims
                    source: { topics: [%4$s], format: json }
                    schema: %2$s/claim.avsc
                    key: account_id
                    event-time: { field: claim_ts, format: iso-8601 }
                    fields: { account_id: $.account.id, claim_id: $.claimId, amount: $.amount, currency: $.currency,
                              status: $.status, claim_ts: $.claimTs }
                    alerts:
                      rules:
                        - name: rejected
                          when: { field: status, eq: REJECTED }
                    landing: { table: %1$s_claims, window: 100s }
                    aggregations:
                      - name: %1$sclaims_by_account
                        group-by: [account_id]
                        window: { size: 100s }
                        measures:
                          - { name: claim_count, fn: count }
                          - { name: amount_total, fn: sum, field: amount }
                  - name: %1$spayments
                    source:
                      topics: [%5$s]
                      format: csv
                      csv: { header: false, delimiter: ";", columns: [id, claim, amount, currency, paid, value_date, reference] }
                    schema: %2$s/payment.avsc
                    key: [claim_id, payment_id]
                    event-time: { field: paid_at, format: pattern, pattern: "dd/MM/yyyy HH:mm:ss", zone: Europe/Paris }
                    fields: { payment_id: id, claim_id: claim, paid_at: paid }
                    landing: { table: %1$s_payments, window: 5m }
                """.formatted(run, dir, kafka.bootstrapServers(), claimsRaw, paymentsRaw);
        return Files.writeString(dir.resolve("config.yaml"), yaml);
    }
}
