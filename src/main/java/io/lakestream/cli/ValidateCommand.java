package io.lakestream.cli;

import io.lakestream.config.AlertConfig;
import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.PipelineConfig;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Checks a config file, its schemas and mappings without touching Kafka or AWS. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Validate a config file, its schemas and field mappings (offline).")
final class ValidateCommand extends ConfigCommand {

    @Option(names = "--effective", description = "Also print the effective configuration (defaults filled in, "
            + "secrets masked) as YAML.")
    boolean effective;

    @Override
    int call(LakestreamConfig cfg) {
        try {
            for (PipelineConfig p : cfg.pipelines()) {
                System.out.printf("pipeline %s: %s %s -> %s (dlq %s), %d aggregation(s)%n", p.name(),
                        p.source().format().name().toLowerCase(Locale.ROOT), p.source().topics(),
                        p.outputTopic(), p.dlqTopic(), p.aggregations().size());
                if (!p.protection().isEmpty()) {
                    System.out.printf("  protect: %s%s%n", p.protection().fields().entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue().method().name().toLowerCase(Locale.ROOT)
                                    .replace('_', '-')).collect(Collectors.joining(", ")),
                            p.protection().dlqIncludeOriginal() ? "" : "; dead letters without original bytes");
                }
                if (!p.alerts().rules().isEmpty()) {
                    System.out.printf("  alerts -> %s: %s%n", p.alerts().topic(), p.alerts().rules().stream()
                            .map(AlertConfig.Rule::name).collect(Collectors.joining(", ")));
                }
            }
            if (effective) {
                System.out.print(new com.fasterxml.jackson.dataformat.yaml.YAMLMapper()
                        .writeValueAsString(ConfigLoader.masked(cfg)));
            }
            System.out.println("OK " + config);
            return 0;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("effective configuration not printable", e);
        }
    }
}
