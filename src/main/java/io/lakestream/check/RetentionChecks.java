package io.lakestream.check;

import io.lakestream.config.AggregationConfig;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.LandingConfig;
import io.lakestream.config.PipelineConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The retention contract: a sink rebuilds its open windows after a restart by re-reading its input topic, so the
 * records of an open window must still be there. One WARN line per input topic whose time-based retention is
 * shorter than {@link #MARGIN} times (window + grace + idle-timeout), and never under an hour; nothing for the
 * topics that keep enough.
 */
final class RetentionChecks {

    static final int MARGIN = 3;
    static final Duration FLOOR = Duration.ofHours(1);

    private RetentionChecks() {
    }

    /** The retention each replayed input topic needs: raw topics for records tables, aggregation topics for theirs. */
    static Map<String, Duration> needed(LakestreamConfig config) {
        Map<String, Duration> needed = new LinkedHashMap<>();
        for (PipelineConfig p : config.pipelines()) {
            LandingConfig l = p.landing();
            Duration span = l.window().plus(l.grace()).plus(l.idleTimeout()).multipliedBy(MARGIN);
            Duration want = span.compareTo(FLOOR) < 0 ? FLOOR : span;
            p.source().topics().forEach(t -> needed.merge(t, want, (a, b) -> a.compareTo(b) >= 0 ? a : b));
            for (AggregationConfig a : p.aggregations() == null ? List.<AggregationConfig>of() : p.aggregations()) {
                needed.merge(a.topic(), want, (x, y) -> x.compareTo(y) >= 0 ? x : y);
            }
        }
        return needed;
    }

    static List<CheckResult> check(Admin admin, Map<String, Duration> needed, Duration timeout)
            throws InterruptedException {
        List<CheckResult> results = new ArrayList<>();
        if (needed.isEmpty()) {
            return results;
        }
        List<ConfigResource> resources = needed.keySet().stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        for (ConfigResource r : resources) {
            Duration want = needed.get(r.name());
            try {
                Config config = admin.describeConfigs(List.of(r)).all().get(timeout.toMillis() + 1000,
                        TimeUnit.MILLISECONDS).get(r);
                ConfigEntry entry = config == null ? null : config.get(TopicConfig.RETENTION_MS_CONFIG);
                if (entry == null || entry.value() == null) {
                    continue;
                }
                long retention = Long.parseLong(entry.value());
                if (retention >= 0 && retention < want.toMillis()) {
                    results.add(CheckResult.warn("retention " + r.name(), "retention.ms " + retention + " ("
                                    + Duration.ofMillis(retention) + ") is shorter than " + want + ": a restart with "
                                    + "windows open longer than that cannot rebuild them from the topic, and they "
                                    + "land without the deleted records",
                            "raise retention.ms of " + r.name() + " to at least " + want.toMillis()
                                    + " (window + grace + idle-timeout, times " + MARGIN + ", at least an hour)"));
                }
            } catch (ExecutionException | TimeoutException e) {
                // The topic line already says what is wrong with a topic that cannot be described.
            }
        }
        return results;
    }
}
