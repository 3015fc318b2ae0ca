package io.lakestream.check;

import io.lakestream.aws.AwsClients;
import io.lakestream.aws.AwsFailures;
import io.lakestream.config.CatalogConfig;
import io.lakestream.config.LakeConfig;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;

/** {@code catalog}: the Glue database is reachable (or can be created), or the local catalog folder writable. */
final class CatalogProbe implements Probe {

    static final String NAME = "catalog";
    private static final String PERMISSIONS = "glue:GetDatabase, glue:CreateDatabase, glue:GetTable,"
            + " glue:CreateTable, glue:UpdateTable, glue:BatchCreatePartition and glue:GetPartitions";

    private final CatalogConfig config;
    private final LakeConfig lake;
    private final Supplier<GlueClient> glue;

    CatalogProbe(CatalogConfig config, LakeConfig lake, Supplier<GlueClient> glue) {
        this.config = config;
        this.lake = lake;
        this.glue = glue;
    }

    static CatalogProbe of(CatalogConfig config, LakeConfig lake) {
        return new CatalogProbe(config, lake, () -> AwsClients.of(config.region(), config.endpoint()).glue());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<CheckResult> run() {
        return List.of(switch (config.type()) {
            case "glue" -> glueDatabase();
            // The local catalog keeps its files next to the data, in the lake folder.
            case "local" -> FolderProbe.check(NAME, "local catalog folder", lake.localDir(), "lake.local-dir");
            case "none" -> CheckResult.skipped(NAME, "catalog.type is none: no catalog is kept");
            default -> CheckResult.fail(NAME, "unknown catalog.type '" + config.type() + "'",
                    "use glue, local or none");
        });
    }

    private CheckResult glueDatabase() {
        String database = config.database();
        String where = AwsFailures.where("Glue", config.region(), config.endpoint());
        try (GlueClient client = glue.get()) {
            client.getDatabase(b -> b.name(database)
                    .overrideConfiguration(o -> o.apiCallTimeout(AwsFailures.CALL_TIMEOUT)));
            return CheckResult.ok(NAME, "Glue database '" + database + "' found (" + where + ")");
        } catch (EntityNotFoundException e) {
            // Whether the principal may create it cannot be known without creating it: say what it will need.
            return new CheckResult(NAME, CheckResult.Status.OK, "Glue database '" + database
                    + "' does not exist yet (" + where + "); it will be created at start",
                    "creating it needs glue:CreateDatabase");
        } catch (SdkException e) {
            return CheckResult.fail(NAME, "Glue database '" + database + "': " + AwsFailures.reason(e, where),
                    AwsFailures.hint(e, NAME, PERMISSIONS + " on database '" + database + "' and its tables"));
        }
    }
}
