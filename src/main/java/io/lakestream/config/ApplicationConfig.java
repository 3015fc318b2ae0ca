package io.lakestream.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * @param id                 Kafka Streams application.id; prefixes internal topics and the landings topic
 * @param stateDir           Kafka Streams state.dir
 * @param processingGuarantee {@code exactly-once} (default) or {@code at-least-once}
 * @param commitInterval     Kafka Streams commit.interval.ms (default 1s)
 * @param windowBuffer       memory per sink task for the rows of its open windows; past it, the largest window
 *                           spills to a file in the state directory (default 64 MiB)
 */
public record ApplicationConfig(String id, Path stateDir, ProcessingGuarantee processingGuarantee,
                                Duration commitInterval, long windowBuffer) {

    public static final long DEFAULT_WINDOW_BUFFER = 64L << 20;

    public ApplicationConfig(String id, Path stateDir, ProcessingGuarantee processingGuarantee,
                             Duration commitInterval) {
        this(id, stateDir, processingGuarantee, commitInterval, DEFAULT_WINDOW_BUFFER);
    }

    public enum ProcessingGuarantee { EXACTLY_ONCE, AT_LEAST_ONCE }
}
