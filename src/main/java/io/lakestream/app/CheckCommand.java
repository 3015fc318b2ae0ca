package io.lakestream.app;

import io.lakestream.check.CheckReport;
import io.lakestream.check.CheckResult;
import io.lakestream.check.ConnectionCheck;
import io.lakestream.config.ConfigException;
import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Tests every connection a config needs and says what fails and how to fix it. */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Test Kafka (incl. TLS/SASL), topics, registry, S3 write permission and "
        + "the Glue database; exit 1 if anything fails.")
final class CheckCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, description = "YAML config file")
    Path config;

    @Option(names = "--timeout", defaultValue = "45s", converter = DurationConverter.class,
            description = "Bound of the whole check; what has not answered by then is a FAIL (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() {
        LakestreamConfig cfg;
        try {
            cfg = ConfigLoader.load(config);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        List<CheckResult> results = ConnectionCheck.run(cfg, timeout);
        System.out.print(CheckReport.render(results));
        return CheckReport.exitCode(results);
    }
}
