package io.lakestream.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

class HttpEndpointsTest {

    @Test
    void shouldAnswerNotReadyWithTheReasonWhileTheDataQualityGateSaysNo() throws Exception {
        AtomicReference<Optional<String>> problem = new AtomicReference<>(Optional.empty());
        try (HttpEndpoints http = new HttpEndpoints(new java.net.InetSocketAddress(0), () -> KafkaStreams.State.RUNNING, problem::get,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/health/ready"))
                    .build();
            assertThat(client.send(ready, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

            problem.set(Optional.of("data-quality gate: pipeline claims: 99.00 % of the last 200 records ..."));
            HttpResponse<String> notReady = client.send(ready, HttpResponse.BodyHandlers.ofString());

            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).startsWith("NOT READY RUNNING: data-quality gate: pipeline claims");
        }
    }
}
