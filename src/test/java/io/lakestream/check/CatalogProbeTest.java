package io.lakestream.check;

import io.lakestream.aws.AwsFailures;
import io.lakestream.aws.GlueLookup;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.check.CheckResult.Status;
import io.lakestream.config.LakestreamConfig;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogProbeTest {

    private final FakeGlue glue = new FakeGlue();
    private final CheckConfigs config = new CheckConfigs().endpoint(URI.create("http://glue.test"));

    @Test
    void shouldPassAnExistingDatabaseWithABoundedCall() {
        assertThat(probe().run()).containsExactly(CheckResult.ok("catalog",
                "Glue database 'claims_lake' found (Glue at http://glue.test)"));
        assertThat(glue.databaseRequest.overrideConfiguration()).hasValueSatisfying(
                o -> assertThat(o.apiCallTimeout()).contains(AwsFailures.CALL_TIMEOUT));
        assertThat(glue.closed).isTrue();
    }

    @Test
    void shouldPassAMissingDatabaseWithANoteThatItWillBeCreated() {
        glue.failure = AwsErrors.glueNotFound();

        assertThat(probe().run()).containsExactly(new CheckResult("catalog", Status.OK,
                "Glue database 'claims_lake' does not exist yet (Glue at http://glue.test); it will be created at"
                        + " start", "creating it needs glue:CreateDatabase"));
    }

    @Test
    void shouldFailWhenAccessIsDenied() {
        glue.failure = AwsErrors.glueAccessDenied();

        CheckResult result = probe().run().get(0);

        assertThat(result.status()).isEqualTo(Status.FAIL);
        assertThat(result.detail()).isEqualTo("Glue database 'claims_lake': access denied (AccessDeniedException)");
        assertThat(result.hint()).contains("glue:GetDatabase", "glue:BatchCreatePartition", "'claims_lake'");
    }

    @Test
    void shouldShowASkippedLineWhenThereIsNoCatalog() {
        config.catalogType = "none";

        assertThat(probe().run()).containsExactly(CheckResult.skipped("catalog",
                "catalog.type is none: no catalog is kept"));
    }

    @Test
    void shouldCheckTheLakeFolderOfALocalCatalog(@TempDir Path dir) {
        config.catalogType = "local";
        config.localDir = dir;

        assertThat(probe().run()).containsExactly(CheckResult.ok("catalog",
                "local catalog folder " + dir + " is writable"));
    }

    private CatalogProbe probe() {
        LakestreamConfig built = config.build();
        return new CatalogProbe(built.catalog(), built.lake(), new GlueLookup(() -> glue));
    }
}
