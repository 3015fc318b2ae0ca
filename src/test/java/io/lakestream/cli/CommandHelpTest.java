package io.lakestream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandHelpTest {

    @ParameterizedTest
    @ValueSource(strings = {"run", "check", "validate", "infer-schema", "demo", "broker"})
    void shouldPrintUsageAndExitZeroWithoutTheRequiredOptions(String command) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            exit = Main.execute(command, "--help");
        } finally {
            System.setOut(stdout);
        }
        assertThat(exit).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: lakestream " + command)
                .doesNotContain("Missing required");
    }
}
