package io.lakestream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ValidateEffectiveTest {

    @Test
    void shouldPrintTheEffectiveConfigurationWithDefaultsFilledInAsYaml() {
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            exit = Main.execute("validate", "--config", "config/payments-csv.yaml", "--effective");
        } finally {
            System.setOut(stdout);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(printed).isZero();
        assertThat(printed).contains("max-dead-letter-ratio: 0.05").contains("idle-timeout: \"60s\"")
                .contains("bootstrap.servers:").endsWith("OK config/payments-csv.yaml" + System.lineSeparator());
    }
}
