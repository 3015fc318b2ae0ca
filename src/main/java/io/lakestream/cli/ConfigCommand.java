package io.lakestream.cli;

import io.lakestream.config.LakestreamConfig;
import io.lakestream.runtime.ExitCodes;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/**
 * A command on a config file ({@code -c/--config}): the file is loaded first, and a bad one is printed with its
 * YAML paths and exits {@link ExitCodes#BAD_CONFIG} before the command does anything.
 */
abstract class ConfigCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, description = "YAML config file")
    Path config;

    @Override
    public Integer call() throws Exception {
        Optional<LakestreamConfig> loaded = CliConfig.load(config);
        return loaded.isEmpty() ? ExitCodes.BAD_CONFIG : call(loaded.get());
    }

    /** The command on the loaded config; its exit code. */
    abstract int call(LakestreamConfig cfg) throws Exception;
}
