package io.lakestream.check;

import io.lakestream.aws.AwsClients;
import io.lakestream.aws.AwsFailures;
import io.lakestream.config.RegistryConfig;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;
import software.amazon.awssdk.services.glue.model.GetRegistryResponse;

/** {@code registry}: the Glue Schema Registry exists and is readable, or the local registry folder is writable. */
final class RegistryProbe implements Probe {

    static final String NAME = "registry";

    private final RegistryConfig config;
    private final Supplier<GlueClient> glue;

    RegistryProbe(RegistryConfig config, Supplier<GlueClient> glue) {
        this.config = config;
        this.glue = glue;
    }

    static RegistryProbe of(RegistryConfig config) {
        return new RegistryProbe(config, () -> AwsClients.of(config.region(), config.endpoint()).glue());
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
        try (GlueClient client = glue.get()) {
            GetRegistryResponse registry = client.getRegistry(b -> b.registryId(id -> id.registryName(name))
                    .overrideConfiguration(o -> o.apiCallTimeout(AwsFailures.CALL_TIMEOUT)));
            String status = registry.status() == null ? "" : ", " + registry.statusAsString();
            return CheckResult.ok(NAME, "Glue schema registry '" + name + "' found (" + where + status + ")");
        } catch (EntityNotFoundException e) {
            if (config.createRegistry()) {
                return new CheckResult(NAME, CheckResult.Status.OK, "Glue schema registry '" + name
                        + "' does not exist yet (" + where + "); it will be created at start",
                        "creating it needs glue:CreateRegistry");
            }
            return CheckResult.fail(NAME, "Glue schema registry '" + name + "' does not exist (" + where + ")",
                    "create it (aws glue create-registry --registry-name " + name + "), fix registry.registry-name,"
                            + " or set registry.create-registry: true");
        } catch (SdkException e) {
            return CheckResult.fail(NAME, "Glue schema registry '" + name + "': " + AwsFailures.reason(e, where),
                    AwsFailures.hint(e, NAME, "glue:GetRegistry, glue:GetSchemaByDefinition, glue:GetSchemaVersion,"
                            + " glue:CreateSchema and glue:RegisterSchemaVersion on registry '" + name + "'"));
        }
    }
}
