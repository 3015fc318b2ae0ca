package io.lakestream.check;

import io.lakestream.aws.AwsFailures;
import io.lakestream.aws.GlueLookup;
import io.lakestream.config.RegistryConfig;
import java.util.List;

/** {@code registry}: the Glue Schema Registry exists and is readable, or the local registry folder is writable. */
final class RegistryProbe implements Probe {

    static final String NAME = "registry";

    private final RegistryConfig config;
    private final GlueLookup glue;

    RegistryProbe(RegistryConfig config, GlueLookup glue) {
        this.config = config;
        this.glue = glue;
    }

    static RegistryProbe of(RegistryConfig config) {
        return new RegistryProbe(config, GlueLookup.of(config.region(), config.endpoint()));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<CheckResult> run() {
        return List.of(switch (config.type()) {
            case "glue" -> glueRegistry();
            case "local" -> FolderProbe.check(NAME, "local registry folder", config.localDir(), "registry.local-dir");
            case "memory" -> CheckResult.skipped(NAME, "in-memory registry: nothing to connect to");
            default -> CheckResult.fail(NAME, "unknown registry.type '" + config.type() + "'",
                    "use glue, local or memory");
        });
    }

    private CheckResult glueRegistry() {
        String name = config.registryName();
        String where = AwsFailures.where("Glue", config.region(), config.endpoint());
        GlueLookup.Answer answer = glue.registry(name);
        return switch (answer.state()) {
            case FOUND -> CheckResult.ok(NAME, "Glue schema registry '" + name + "' found (" + where
                    + (answer.status() == null ? "" : ", " + answer.status()) + ")");
            case MISSING -> config.createRegistry()
                    ? new CheckResult(NAME, CheckResult.Status.OK, "Glue schema registry '" + name
                            + "' does not exist yet (" + where + "); it will be created at start",
                            "creating it needs glue:CreateRegistry")
                    : CheckResult.fail(NAME, "Glue schema registry '" + name + "' does not exist (" + where + ")",
                            "create it (aws glue create-registry --registry-name " + name
                                    + "), fix registry.registry-name, or set registry.create-registry: true");
            case FAILED -> CheckResult.fail(NAME, "Glue schema registry '" + name + "': "
                    + AwsFailures.reason(answer.failure(), where), AwsFailures.hint(answer.failure(), NAME,
                    "glue:GetRegistry, glue:GetSchemaByDefinition, glue:GetSchemaVersion,"
                            + " glue:CreateSchema and glue:RegisterSchemaVersion on registry '" + name + "'"));
        };
    }
}
