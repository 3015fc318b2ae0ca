package io.lakestream.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.lakestream.check.CheckResult.Status;
import io.lakestream.config.AggregationConfig;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.PipelineConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaProbeTest {

    @Test
    void shouldListSourceTopicsFirstThenEveryTopicLakestreamWrites() {
        CheckConfigs configs = new CheckConfigs();
        configs.sourceTopics = List.of("claims.raw", "claims.raw.eu");
        LakestreamConfig config = withAggregation(configs.build(), "claims_by_account", "claims.claims_by_account");

        assertThat(KafkaProbe.topicUses(config)).extracting(KafkaProbe.TopicUse::topic,
                KafkaProbe.TopicUse::role, KafkaProbe.TopicUse::source).containsExactly(
                tuple("claims.raw", "source of pipeline claims", true),
                tuple("claims.raw.eu", "source of pipeline claims", true),
                tuple("claims.normalized", "normalized output of pipeline claims", false),
                tuple("claims.dlq", "DLQ of pipeline claims", false),
                tuple("claims.claims_by_account", "output of aggregation claims.claims_by_account", false),
                tuple("claims-lake.landings", "landing events", false));
    }

    @Test
    void shouldListATopicNamedTwiceOnceWithBothRolesAndCheckItAsASource() {
        CheckConfigs configs = new CheckConfigs();
        configs.sourceTopics = List.of("claims.dlq");

        assertThat(KafkaProbe.topicUses(configs.build())).filteredOn(u -> u.topic().equals("claims.dlq"))
                .singleElement().satisfies(u -> {
                    assertThat(u.role()).isEqualTo("source of pipeline claims, DLQ of pipeline claims");
                    assertThat(u.source()).isTrue();
                });
    }

    @Test
    void shouldBoundEveryKafkaCallAndReadWithoutAConsumerGroup() {
        CheckConfigs configs = new CheckConfigs();
        configs.kafka.put("group.id", "claims-lake");
        configs.kafka.put("request.timeout.ms", "120000");
        configs.kafka.put("security.protocol", "SSL");
        KafkaProbe probe = new KafkaProbe(configs.build().kafka(), List.of(), Duration.ofSeconds(7));

        assertThat(probe.adminSettings()).containsEntry("request.timeout.ms", 7000)
                .containsEntry("default.api.timeout.ms", 7000).containsEntry("security.protocol", "SSL");
        assertThat(probe.consumerSettings()).doesNotContainKey("group.id").containsEntry("enable.auto.commit", false)
                .containsEntry("request.timeout.ms", 7000);
    }

    @Test
    void shouldFailAndSkipEveryTopicWhenNoBootstrapIsSet() {
        CheckConfigs configs = new CheckConfigs();
        configs.kafka.remove("bootstrap.servers");

        List<CheckResult> results = KafkaProbe.of(configs.build()).run();

        assertThat(results.get(0)).isEqualTo(CheckResult.fail("kafka", "kafka.bootstrap.servers is not set",
                "set kafka.bootstrap.servers"));
        assertThat(results.subList(1, results.size())).extracting(CheckResult::name, CheckResult::status)
                .containsExactly(tuple("topic claims.raw", Status.SKIPPED), tuple("topic claims.normalized",
                        Status.SKIPPED), tuple("topic claims.dlq", Status.SKIPPED),
                        tuple("topic claims-lake.landings", Status.SKIPPED));
    }

    private static LakestreamConfig withAggregation(LakestreamConfig config, String name, String topic) {
        PipelineConfig p = config.pipelines().get(0);
        List<AggregationConfig> aggregations = new ArrayList<>(p.aggregations());
        aggregations.add(new AggregationConfig(name, List.of("account_id"), null, List.of(), topic, name, null));
        PipelineConfig withAgg = new PipelineConfig(p.name(), p.source(), p.schemaFile(), p.key(), p.eventTime(),
                p.fields(), p.outputTopic(), p.dlqTopic(), p.landing(), aggregations, p.limits());
        return new LakestreamConfig(config.application(), Map.copyOf(config.kafka()), config.registry(),
                config.lake(), config.catalog(), config.http(), List.of(withAgg));
    }
}
