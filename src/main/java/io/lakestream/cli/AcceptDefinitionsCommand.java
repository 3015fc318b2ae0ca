package io.lakestream.cli;

import io.lakestream.config.LakestreamConfig;
import io.lakestream.runtime.DefinitionsCheck;
import io.lakestream.runtime.LakestreamApp;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;

/**
 * The last step of a window-definition migration: records the configured definitions as those of the application
 * id. Run it only after the old configuration drained every open window ({@code run --until-caught-up} exited 0).
 */
@Command(name = "accept-definitions", description = "Record the config's window and aggregation definitions as the"
        + " application's, after the old ones were drained with run --until-caught-up.")
final class AcceptDefinitionsCommand extends ConfigCommand {

    @Override
    int call(LakestreamConfig cfg) throws Exception {
        Properties props = new Properties();
        cfg.kafka().forEach(props::put);
        try (Admin admin = Admin.create(props)) {
            Map<String, String> recorded = DefinitionsCheck.accept(admin, cfg);
            recorded.forEach((path, definition) -> System.out.println("recorded " + path + ": " + definition));
            return 0;
        } catch (IllegalStateException | org.apache.kafka.common.KafkaException e) {
            System.err.println("failed: " + LakestreamApp.rootMessage(e));
            return 1;
        }
    }
}
