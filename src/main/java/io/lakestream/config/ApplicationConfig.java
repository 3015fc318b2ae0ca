package io.lakestream.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * @param id                 Kafka Streams application.id; prefixes internal topics and the landings topic
 * @param stateDir           Kafka Streams state.dir
 * @param processingGuarantee {@code exactly-once} (default) or {@code at-least-once}
 * @param commitInterval     Kafka Streams commit.interval.ms (default 1s)
 */
public record ApplicationConfig(String id, Path stateDir, ProcessingGuarantee processingGuarantee,
                                Duration commitInterval) {

    public enum ProcessingGuarantee { EXACTLY_ONCE, AT_LEAST_ONCE }
}
