package io.lakestream.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakestream.config.ConfigLoader;
import io.lakestream.config.HttpConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/** {@code http.bind-address}: all interfaces by default (containers), or the one interface configured. */
class HttpBindAddressTest {

    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private static HttpConfig http(String yaml) throws IOException {
        String claims = java.nio.file.Files.readString(Path.of("config/claims.yaml"));
        assertThat(claims).contains("http:\n  port: ${HTTP_PORT:-8080}\n");
        return ConfigLoader.parse(claims.replace("http:\n  port: ${HTTP_PORT:-8080}\n", "http: " + yaml + "\n"),
                Path.of("config"), Map.of(), "claims.yaml").http();
    }

    @Test
    void shouldListenOnTheConfiguredInterfaceOnly() throws Exception {
        try (HttpEndpoints endpoints = HttpEndpoints.start(http("{ port: 0, bind-address: 127.0.0.1 }"),
                () -> KafkaStreams.State.RUNNING, java.util.Optional::empty, metrics)) {
            assertThat(endpoints.address().getHostAddress()).isEqualTo("127.0.0.1");
            HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + endpoints.port() + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void shouldListenOnAllInterfacesByDefault() throws Exception {
        try (HttpEndpoints endpoints = HttpEndpoints.start(http("{ port: 0 }"), () -> KafkaStreams.State.RUNNING,
                java.util.Optional::empty, metrics)) {
            assertThat(endpoints.address().isAnyLocalAddress()).isTrue();
        }
    }

    @Test
    void shouldFailNamingTheSettingWhenTheHostCannotBeResolved() {
        assertThatThrownBy(() -> HttpEndpoints.start(new HttpConfig(0, "no-such-host.invalid"),
                () -> KafkaStreams.State.RUNNING, java.util.Optional::empty, metrics)).isInstanceOf(IOException.class)
                .hasMessage("http.bind-address: cannot resolve no-such-host.invalid");
    }
}
