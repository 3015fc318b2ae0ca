package io.lakestream.cli;

import io.lakestream.config.LakestreamConfig;
import io.lakestream.iceberg.IcebergTables;
import io.lakestream.iceberg.MaintenanceReport;
import io.lakestream.runtime.ExitCodes;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One maintenance pass over a config's Iceberg tables (compaction of closed partitions, snapshot expiry, orphan
 * cleanup), then exit: for users who schedule maintenance themselves. Hive tables have no maintenance.
 */
@Command(name = "maintain", mixinStandardHelpOptions = true,
        description = "Run one maintenance pass over the Iceberg tables of a config and exit.")
final class MaintainCommand extends ConfigCommand {

    private static final Logger LOG = LoggerFactory.getLogger(MaintainCommand.class);

    @Option(names = {"-t", "--table"}, description = "Only this table")
    String table;

    @Option(names = "--all-partitions", description = "Compact every partition, also those an open window could "
            + "still add to (when the pipeline is stopped; later files are compacted by a later pass)")
    boolean allPartitions;

    @Override
    int call(LakestreamConfig cfg) throws Exception {
        List<String> names = selected(cfg, table);
        if (names == null) {
            return ExitCodes.BAD_CONFIG;
        }
        return pass(cfg, names, allPartitions) ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    /** One pass over the Iceberg tables among {@code names}, printed per table; false if a pass failed. */
    static boolean pass(LakestreamConfig cfg, List<String> names, boolean allClosed) throws Exception {
        boolean ok = true;
        try (IcebergTables tables = IcebergTables.open(cfg)) {
            for (String name : names) {
                if (cfg.tableFormats().iceberg(name) == null) {
                    System.out.printf("table %s (hive): nothing to maintain%n", name);
                    continue;
                }
                try {
                    MaintenanceReport r = tables.maintain(name, allClosed);
                    System.out.printf("table %s (iceberg): %s%n", name, r);
                } catch (RuntimeException e) {
                    LOG.error("table {}: maintenance pass failed", name, e);
                    System.err.printf("table %s (iceberg): maintenance pass failed: %s%n", name, e.getMessage());
                    ok = false;
                }
            }
        }
        return ok;
    }

    /** The config's tables, or only {@code table}; null (after saying why) if the config has no such table. */
    static List<String> selected(LakestreamConfig cfg, String table) {
        List<String> all = TableInspector.tables(cfg);
        if (table == null) {
            return all;
        }
        if (!all.contains(table)) {
            System.err.printf("--table: no table %s in the config (tables: %s)%n", table, String.join(", ", all));
            return null;
        }
        return List.of(table);
    }
}
