package io.lakestream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The lakestream executable: parses the command line and hands over to one command. */
@Command(name = "lakestream", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Lands self-hosted Kafka topics in an S3 data lake with the Glue Data Catalog.",
        subcommands = {RunCommand.class, DemoCommand.class, CheckCommand.class, ValidateCommand.class,
                AcceptDefinitionsCommand.class, InferSchemaCommand.class, BrokerCommand.class, MaintainCommand.class,
                InspectCommand.class, io.lakestream.cli.TailCommand.class, io.lakestream.cli.ProduceCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (tests call this instead of {@link #main}). */
    public static int execute(String... args) {
        return new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"lakestream " + (v == null ? "dev" : v)};
        }
    }
}
