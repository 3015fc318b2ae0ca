package io.lakestream.cli;

import io.lakestream.config.ConfigException;
import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import java.nio.file.Path;
import java.util.Optional;

/** The config file a command was given: a bad one is printed (with its YAML paths) for the command to exit 2. */
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
}
