package io.lakestream.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.iceberg.IcebergTables;
import io.lakestream.runtime.ExitCodes;
import io.lakestream.runtime.PortsFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints the layout and health of a config's tables, Hive or Iceberg, read from the lake and catalog themselves. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show each table's format, location, partitioning, snapshots, data files and rows, and what "
                + "the next maintenance pass would do.")
final class InspectCommand extends ConfigCommand {

    @Option(names = {"-t", "--table"}, description = "Only this table")
    String table;

    @Option(names = "--json", description = "Print JSON (one object with a list of tables) for scripts")
    boolean json;

    @Option(names = "--all-partitions", description = "Preview the pass of maintain --all-partitions")
    boolean allPartitions;

    @Override
    int call(LakestreamConfig cfg) throws Exception {
        List<String> names = MaintainCommand.selected(cfg, table);
        if (names == null) {
            return ExitCodes.BAD_CONFIG;
        }
        List<Map<String, Object>> reports = inspect(cfg, names, allPartitions);
        if (json) {
            System.out.println(JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
                    .writeValueAsString(Map.of("tables", reports)));
        } else {
            reports.forEach(r -> System.out.print(TableInspector.text(r)));
        }
        return ExitCodes.OK;
    }

    /** The reports of the named tables (the demo prints them too). */
    static List<Map<String, Object>> inspect(LakestreamConfig cfg, List<String> names, boolean allPartitions)
            throws Exception {
        List<Map<String, Object>> reports = new ArrayList<>();
        io.lakestream.port.ObjectStore store = null;
        IcebergTables iceberg = null;
        try {
            for (String name : names) {
                if (cfg.tableFormats().iceberg(name) != null) {
                    iceberg = iceberg == null ? IcebergTables.open(cfg) : iceberg;
                    reports.add(TableInspector.iceberg(iceberg, name, allPartitions));
                } else {
                    store = store == null ? PortsFactory.store(cfg) : store;
                    reports.add(TableInspector.hive(cfg, store, name));
                }
            }
        } finally {
            if (iceberg != null) {
                iceberg.close();
            }
            if (store != null) {
                store.close();
            }
        }
        return reports;
    }
}
