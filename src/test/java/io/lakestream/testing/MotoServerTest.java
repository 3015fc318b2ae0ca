package io.lakestream.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MotoServerTest {

    @Test
    void shouldFailWithTheInstallCommandWhenAnExecutableIsNotOnPath() {
        assertThatThrownBy(() -> MotoServer.findOnPath("moto_server_that_is_not_installed"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("moto_server_that_is_not_installed was not found on PATH")
                .hasMessageContaining("pip install \"moto[server]\"");
    }

    @Test
    void shouldFindAnExecutableOnPath() {
        assertThat(MotoServer.findOnPath("sh")).isExecutable();
    }
}
