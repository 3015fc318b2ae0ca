package io.lakestream.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.ConfigLoader;
import io.lakestream.config.PipelineConfig;
import io.lakestream.config.RecordSchemas;
import io.lakestream.normalize.NormalizeStage;
import io.lakestream.port.Ports;
import io.lakestream.registry.InMemoryRegistry;
import io.lakestream.testing.UnitConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.function.Predicate;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Alert rules in the normalize stage (TopologyTestDriver): the alert topic holds exactly the records an
 * independent filter of the input selects, once per matching rule, with the rule in a header and a count per rule.
 */
class AlertStageTest {

    static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    static final String[] STATUSES = {"OPEN", "APPROVED", "REJECTED", "PAID"};

    record Input(String claimId, BigDecimal amount, String status, String currency, Instant ts, String adjuster) {
        String json() {
            return "{\"account\":{\"id\":\"A-1\"},\"claimId\":\"" + claimId + "\",\"amount\":\"" + amount.toPlainString()
                    + "\",\"currency\":\"" + currency + "\",\"status\":\"" + status + "\",\"claimTs\":\"" + ts + "\""
                    + (adjuster == null ? "" : ",\"adjuster\":{\"name\":\"" + adjuster + "\"}") + "}";
        }
    }

    final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    final InMemoryRegistry registry = new InMemoryRegistry();
    TopologyTestDriver driver;

    @AfterEach
    void close() {
        driver.close();
    }

    static PipelineConfig pipeline(String rules) {
        return UnitConfig.pipeline(UnitConfig.CLAIMS + """
                    fields: { account_id: $.account.id, claim_id: $.claimId, amount: $.amount, currency: $.currency,
                              status: $.status, claim_ts: $.claimTs, adjuster: $.adjuster.name, policy: $.policy }
                    alerts:
                      rules:
                %s""".formatted(rules.indent(8)), Path.of("schemas"));
    }

    List<TestRecord<String, GenericRecord>> run(PipelineConfig p, List<Input> inputs) {
        StreamsBuilder builder = new StreamsBuilder();
        Ports ports = new Ports(registry, null, null, metrics);
        Schema schema = ConfigLoader.schemaOf(p);
        AlertStage.add(NormalizeStage.add(builder, p, schema, ports), p, RecordSchemas.records(schema, p), ports);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "alert-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(builder.build(), props);
        TestInputTopic<String, String> raw = driver.createInputTopic("raw", new StringSerializer(),
                new StringSerializer());
        inputs.forEach(i -> raw.pipeInput(null, i.json(), i.ts()));
        return driver.createOutputTopic(p.alerts().topic(), new StringDeserializer(), registry.deserializer())
                .readRecordsToList();
    }

    static List<Input> inputs() {
        Random random = new Random(16);
        List<Input> out = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            BigDecimal amount = BigDecimal.valueOf(random.nextInt(2_000_000_00), 2);
            if (i % 50 == 0) {
                amount = new BigDecimal("1000000.00"); // on the threshold: gt excludes it, ge includes it
            }
            out.add(new Input("C-" + i, amount, STATUSES[random.nextInt(4)], random.nextBoolean() ? "EUR" : "USD",
                    T0.plusSeconds(random.nextInt(7200)), i % 3 == 0 ? null : "adj-" + random.nextInt(5)));
        }
        return out;
    }

    static String rule(TestRecord<?, ?> r) {
        return new String(r.headers().lastHeader(AlertStage.RULE_HEADER).value(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldCopyExactlyTheRecordsAnIndependentFilterSelectsOncePerMatchingRule() {
        PipelineConfig p = pipeline("""
                - name: large
                  when: "amount > 1000000"
                - name: rejected_usd_or_unassigned_early
                  when: >-
                    status = 'REJECTED' AND currency IN ('USD')
                    OR adjuster IS NULL AND claim_ts < TIMESTAMP '2024-05-01 10:30:00'
                - name: adjuster_known_not_paid
                  when: { and: [ { field: adjuster, ne: adj-0 }, { not: { field: status, eq: PAID } } ] }
                """);
        List<Input> inputs = inputs();
        Instant half = Instant.parse("2024-05-01T10:30:00Z");
        Map<String, Predicate<Input>> expected = new java.util.LinkedHashMap<>();
        expected.put("large", i -> i.amount().compareTo(new BigDecimal(1_000_000)) > 0);
        expected.put("rejected_usd_or_unassigned_early", i -> i.status().equals("REJECTED")
                && i.currency().equals("USD") || i.adjuster() == null && i.ts().isBefore(half));
        // SQL null rules: a null adjuster makes both ne and not(eq) NULL, which does not match (the structured form).
        expected.put("adjuster_known_not_paid", i -> i.adjuster() != null && !i.adjuster().equals("adj-0")
                && !i.status().equals("PAID"));
        List<String> want = new ArrayList<>();
        for (Input i : inputs) {
            expected.forEach((rule, test) -> {
                if (test.test(i)) {
                    want.add(rule + ":" + i.claimId());
                }
            });
        }

        List<TestRecord<String, GenericRecord>> alerts = run(p, inputs);

        assertThat(alerts).extracting(r -> rule(r) + ":" + r.value().get("claim_id")).containsExactlyElementsOf(want);
        for (String rule : expected.keySet()) {
            long n = want.stream().filter(w -> w.startsWith(rule + ":")).count();
            assertThat(n).as(rule).isPositive();
            assertThat(metrics.find("lakestream.alerts").tags("pipeline", "claims", "rule", rule).counter().count())
                    .isEqualTo(n);
        }
        assertThat(alerts).allSatisfy(r -> assertThat(r.key()).isEqualTo("A-1"));
    }

    @Test
    void shouldCompareDecimalsByValueAndIncludeTheThresholdWithGe() {
        PipelineConfig p = pipeline("""
                - name: ge
                  when: { field: amount, ge: 1000000.0 }
                """);
        List<Input> inputs = List.of(new Input("at", new BigDecimal("1000000.00"), "OPEN", "EUR", T0, null),
                new Input("below", new BigDecimal("999999.99"), "OPEN", "EUR", T0, null),
                new Input("above", new BigDecimal("1000000.01"), "OPEN", "EUR", T0, null));

        assertThat(run(p, inputs)).extracting(r -> r.value().get("claim_id").toString()).containsExactly("at", "above");
    }

    @Test
    void shouldMatchOnTheProtectedValueSoThatNoRuleCanSeeTheClearOne() {
        PipelineConfig p = UnitConfig.pipeline(UnitConfig.CLAIMS + ("""
                    fields: %s
                    protect: { fields: { adjuster: { method: mask, keep-last: 1 } } }
                    alerts:
                      rules:
                        - { name: clear, when: "adjuster = 'Zelda'" }
                        - { name: masked, when: "adjuster LIKE '%%a'" }
                """).formatted("{ account_id: $.account.id, claim_id: $.claimId, claim_ts: $.claimTs, "
                + "adjuster: $.adjuster.name }"), Path.of("schemas"));

        List<TestRecord<String, GenericRecord>> alerts = run(p, List.of(
                new Input("z", BigDecimal.ONE, "OPEN", "EUR", T0, "Zelda"),
                new Input("y", BigDecimal.ONE, "OPEN", "EUR", T0, "Yves")));

        assertThat(alerts).extracting(r -> rule(r) + ":" + r.value().get("adjuster")).containsExactly("masked:****a");
    }
}
