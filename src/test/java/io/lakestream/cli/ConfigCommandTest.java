package io.lakestream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.runtime.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every command on a config file loads it before anything else: a bad one exits 2 saying which path is wrong. */
class ConfigCommandTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"run", "check", "validate", "inspect", "maintain", "accept-definitions"})
    void shouldExitBadConfigNamingThePathOfAnInvalidConfig(String command) throws Exception {
        Path config = Files.writeString(dir.resolve("bad.yaml"), "lake: {store: gcs}\n");

        CommandOutput r = execute(command, "--config", config.toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.BAD_CONFIG);
        assertThat(r.err()).contains("lake.store: must be one of s3, local, was \"gcs\"");
        assertThat(r.out()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"run", "check", "validate", "inspect", "maintain", "accept-definitions"})
    void shouldRefuseACommandWithoutItsConfig(String command) throws Exception {
        CommandOutput r = execute(command);

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required option: '--config=<config>'");
    }

    private static CommandOutput execute(String... args) throws Exception {
        return CommandOutput.run(() -> Main.execute(args));
    }
}
