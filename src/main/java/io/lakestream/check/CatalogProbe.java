package io.lakestream.check;

import io.lakestream.aws.AwsFailures;
import io.lakestream.aws.GlueLookup;
import io.lakestream.config.CatalogConfig;
import io.lakestream.config.LakeConfig;
import java.util.List;

/** {@code catalog}: the Glue database is reachable (or can be created), or the local catalog folder writable. */
final class CatalogProbe implements Probe {

    static final String NAME = "catalog";
    private static final String PERMISSIONS = "glue:GetDatabase, glue:CreateDatabase, glue:GetTable,"
            + " glue:CreateTable, glue:UpdateTable, glue:BatchCreatePartition and glue:GetPartitions";

    private final CatalogConfig config;
    private final LakeConfig lake;
    private final GlueLookup glue;

    CatalogProbe(CatalogConfig config, LakeConfig lake, GlueLookup glue) {
        this.config = config;
        this.lake = lake;
        this.glue = glue;
    }

    static CatalogProbe of(CatalogConfig config, LakeConfig lake) {
        return new CatalogProbe(config, lake, GlueLookup.of(config.region(), config.endpoint()));
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
        GlueLookup.Answer answer = glue.database(database);
        return switch (answer.state()) {
            case FOUND -> CheckResult.ok(NAME, "Glue database '" + database + "' found (" + where + ")");
            // Whether the principal may create it cannot be known without creating it: say what it will need.
            case MISSING -> new CheckResult(NAME, CheckResult.Status.OK, "Glue database '" + database
                    + "' does not exist yet (" + where + "); it will be created at start",
                    "creating it needs glue:CreateDatabase");
            case FAILED -> CheckResult.fail(NAME, "Glue database '" + database + "': "
                    + AwsFailures.reason(answer.failure(), where), AwsFailures.hint(answer.failure(), NAME,
                    PERMISSIONS + " on database '" + database + "' and its tables"));
        };
    }
}
