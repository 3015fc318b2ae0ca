package io.lakestream.check;

import io.lakestream.aws.AwsFailures;
import io.lakestream.aws.GlueLookup;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.check.CheckResult.Status;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryProbeTest {

    private final FakeGlue glue = new FakeGlue();
    private final CheckConfigs config = new CheckConfigs().endpoint(URI.create("http://glue.test"));

    @Test
    void shouldPassAnExistingRegistryWithABoundedCallAndCloseTheClient() {
        List<CheckResult> results = probe().run();

        assertThat(results).containsExactly(CheckResult.ok("registry",
                "Glue schema registry 'lakestream' found (Glue at http://glue.test, AVAILABLE)"));
        assertThat(glue.registryRequest.overrideConfiguration()).hasValueSatisfying(
                o -> assertThat(o.apiCallTimeout()).contains(AwsFailures.CALL_TIMEOUT));
        assertThat(glue.closed).isTrue();
    }

    @Test
    void shouldFailAMissingRegistryThatWillNotBeCreated() {
        glue.failure = AwsErrors.glueNotFound();

        assertThat(probe().run()).containsExactly(CheckResult.fail("registry",
                "Glue schema registry 'lakestream' does not exist (Glue at http://glue.test)",
                "create it (aws glue create-registry --registry-name lakestream), fix registry.registry-name, or set"
                        + " registry.create-registry: true"));
    }

    @Test
    void shouldPassAMissingRegistryThatWillBeCreatedAndSaySo() {
        glue.failure = AwsErrors.glueNotFound();
        config.createRegistry = true;

        CheckResult result = probe().run().get(0);

        assertThat(result.status()).isEqualTo(Status.OK);
        assertThat(result.detail()).endsWith("it will be created at start");
        assertThat(result.hint()).isEqualTo("creating it needs glue:CreateRegistry");
    }

    @Test
    void shouldFailWithThePermissionsNeededWhenAccessIsDenied() {
        glue.failure = AwsErrors.glueAccessDenied();

        CheckResult result = probe().run().get(0);

        assertThat(result.status()).isEqualTo(Status.FAIL);
        assertThat(result.detail()).isEqualTo("Glue schema registry 'lakestream': access denied (AccessDeniedException)");
        assertThat(result.hint()).startsWith("grant the principal in use glue:GetRegistry");
    }

    @Test
    void shouldCheckTheFolderOfALocalRegistry(@TempDir Path dir) {
        config.registryType = "local";
        config.localDir = dir;

        assertThat(probe().run()).containsExactly(CheckResult.ok("registry",
                "local registry folder " + dir.resolve("registry") + " does not exist yet; it will be created ("
                        + dir + " is writable)"));
    }

    @Test
    void shouldSkipAnInMemoryRegistry() {
        config.registryType = "memory";

        assertThat(probe().run()).extracting(CheckResult::status).containsExactly(Status.SKIPPED);
    }

    private RegistryProbe probe() {
        return new RegistryProbe(config.build().registry(), new GlueLookup(() -> glue));
    }
}
