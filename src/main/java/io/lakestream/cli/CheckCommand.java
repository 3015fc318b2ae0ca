package io.lakestream.cli;

import io.lakestream.check.CheckReport;
import io.lakestream.check.CheckResult;
import io.lakestream.check.ConnectionCheck;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.PipelineConfig;
import io.lakestream.runtime.ExitCodes;
import io.lakestream.runtime.KafkaPreflight;
import io.lakestream.runtime.LakestreamApp;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Tests every connection a config needs and says what fails and how to fix it. */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Test Kafka (incl. TLS/SASL), topics, registry, S3 write permission and "
        + "the Glue database; exit 1 if anything fails.")
final class CheckCommand extends ConfigCommand {

    @Option(names = "--timeout", defaultValue = "45s", converter = DurationConverter.class,
            description = "Bound of the whole check; what has not answered by then is a FAIL (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--sample", paramLabel = "N", description = "Also read the latest N records of each source "
            + "topic and normalize them (nothing written): the dead-letter classes a run would produce.")
    Integer sample;

    @Override
    int call(LakestreamConfig cfg) {
        List<CheckResult> results = ConnectionCheck.run(cfg, timeout);
        System.out.print(CheckReport.render(results));
        int exit = CheckReport.exitCode(results);
        if (sample != null) {
            Optional<KafkaPreflight.Failure> unreachable = KafkaPreflight.check(cfg.kafka(), timeout, config);
            if (unreachable.isPresent()) {
                System.out.println("sample skipped: " + unreachable.get().message());
                return Math.max(exit, ExitCodes.FAILURE);
            }
            for (PipelineConfig p : cfg.pipelines()) {
                try {
                    SampleCheck.Result r = SampleCheck.run(cfg, p, sample, timeout);
                    SampleCheck.print(r, p, System.out);
                    exit = r.overLimit() && exit == 0 ? ExitCodes.DATA_QUALITY : exit;
                } catch (IllegalStateException | org.apache.kafka.common.KafkaException e) {
                    System.out.println("sample of pipeline " + p.name() + " failed: " + LakestreamApp.rootMessage(e));
                    exit = Math.max(exit, ExitCodes.FAILURE);
                }
            }
        }
        return exit;
    }
}
