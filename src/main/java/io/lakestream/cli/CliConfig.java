package io.lakestream.cli;

import io.lakestream.config.ConfigException;
import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.runtime.ExitCodes;
import io.lakestream.runtime.KafkaPreflight;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a command was given to connect with: a bad config file is printed (with its YAML paths) for the command to
 * exit 2; an unreachable Kafka is printed for it to exit with {@link KafkaPreflight.Failure#exitCode}.
 */
public final class CliConfig {

    private CliConfig() {
    }

    /** The loaded config, or empty after printing why it is invalid to stderr ({@link ExitCodes#BAD_CONFIG}). */
    public static Optional<LakestreamConfig> load(Path file) {
        try {
            return Optional.of(ConfigLoader.load(file));
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Empty when Kafka answers within {@code timeout} ({@link KafkaPreflight#check}); else the exit code, after
     * printing why to stderr.
     */
    static OptionalInt kafkaUnreachable(Map<String, String> client, Duration timeout, Path config) {
        Optional<KafkaPreflight.Failure> unreachable = KafkaPreflight.check(client, timeout, config);
        unreachable.ifPresent(f -> System.err.println(f.message()));
        return unreachable.map(f -> OptionalInt.of(f.exitCode())).orElse(OptionalInt.empty());
    }
}
