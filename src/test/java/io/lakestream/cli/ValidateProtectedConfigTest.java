package io.lakestream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code validate} on {@code config/claims-protected.yaml} with its HMAC key from a {@code ${file:...}} secret: the
 * protection and alert rules are checked offline and summarized; a broken rule is reported with its YAML path, and
 * the secret is never printed.
 */
class ValidateProtectedConfigTest {

    static final String SECRET = "66696c652d7365637265742d6f662d61742d6c656173742d33322d6279746573";

    @TempDir
    Path tmp;

    private static CommandOutput validate(Path config) throws Exception {
        return CommandOutput.run(() -> Main.execute("validate", "--config", config.toString()));
    }

    private Path config(String replace, String with) throws Exception {
        Files.createDirectories(tmp.resolve("config"));
        Files.createDirectories(tmp.resolve("schemas"));
        Files.copy(Path.of("schemas/claim.avsc"), tmp.resolve("schemas/claim.avsc"));
        Files.writeString(tmp.resolve("config/hmac.key"), SECRET + "\n");
        String yaml = Files.readString(Path.of("config/claims-protected.yaml"))
                .replace("${CLAIMS_HASH_SECRET}", "${file:hmac.key}").replace(replace, with);
        Path file = tmp.resolve("config/claims-protected.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void shouldSummarizeProtectionAndAlertsOfTheExample() throws Exception {
        CommandOutput ok = validate(config("", ""));

        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("pipeline claims: json [onprem.claims.raw]")
                .contains("  protect: account_id=hash, claim_id=hash, adjuster=mask, policy=drop; dead letters "
                        + "without original bytes")
                .contains("  alerts -> claims.alerts: large_claim, rejected_large_claim")
                .doesNotContain(SECRET);
    }

    @Test
    void shouldNameTheYamlPathOfARuleThatCannotBeEvaluated() throws Exception {
        CommandOutput bad = validate(config("{ field: amount, gt: 1000000 }", "{ field: adjuster, gt: 1000000 }"));

        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("pipelines[0].alerts.rules[0].when.gt: type mismatch: field \"adjuster\" is "
                + "string and allows eq, ne, in only").doesNotContain(SECRET);
    }
}
