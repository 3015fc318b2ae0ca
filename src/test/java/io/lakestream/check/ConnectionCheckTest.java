package io.lakestream.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.lakestream.check.CheckResult.Status;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ConnectionCheckTest {

    private static final Secrets NO_SECRETS = Secrets.in(Map.of());

    @Test
    void shouldRunProbesInParallelAndKeepTheirOrder() {
        CountDownLatch secondStarted = new CountDownLatch(1);
        // The first probe only passes if the second runs while the first waits.
        Probe first = probe("first", () -> {
            try {
                return List.of(secondStarted.await(5, TimeUnit.SECONDS) ? CheckResult.ok("first", "")
                        : CheckResult.fail("first", "ran alone", null));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Probe second = probe("second", () -> {
            secondStarted.countDown();
            return List.of(CheckResult.ok("second", ""), CheckResult.warn("second.extra", "", null));
        });

        List<CheckResult> results = new ConnectionCheck(List.of(first, second), Duration.ofSeconds(10), NO_SECRETS)
                .run();

        assertThat(results).extracting(CheckResult::name, CheckResult::status).containsExactly(
                tuple("first", Status.OK),
                tuple("second", Status.OK),
                tuple("second.extra", Status.WARN));
    }

    @Test
    void shouldFailAProbeThatDoesNotAnswerByTheDeadlineAndReturnAtTheDeadline() {
        CountDownLatch never = new CountDownLatch(1);
        Probe hanging = probe("store", () -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of(CheckResult.ok("store", "too late"));
        });
        Probe quick = probe("catalog", () -> List.of(CheckResult.ok("catalog", "found")));

        long start = System.nanoTime();
        List<CheckResult> results = new ConnectionCheck(List.of(hanging, quick), Duration.ofSeconds(1), NO_SECRETS)
                .run();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(results).containsExactly(
                CheckResult.fail("store", "no answer within 1 s",
                        "something on the way does not answer: check the endpoint settings and the network"),
                CheckResult.ok("catalog", "found"));
    }

    @Test
    void shouldReportAnUnexpectedErrorAsAFailOfThatProbeOnly() {
        Probe broken = probe("registry", () -> {
            throw new NullPointerException("region");
        });
        Probe fine = probe("store", () -> List.of(CheckResult.ok("store", "written")));

        List<CheckResult> results = new ConnectionCheck(List.of(broken, fine), Duration.ofSeconds(5), NO_SECRETS)
                .run();

        assertThat(results).containsExactly(
                CheckResult.fail("registry", "unexpected error: java.lang.NullPointerException: region", null),
                CheckResult.ok("store", "written"));
    }

    @Test
    void shouldNeverShowASecretOfTheKafkaSettings() {
        Secrets secrets = Secrets.in(Map.of("sasl.jaas.config", "PlainLoginModule required password=\"hunter2\";"));
        Probe leaky = probe("kafka", () -> List.of(CheckResult.fail("kafka", "login with hunter2 failed",
                "hunter2 is wrong")));
        Probe throwing = probe("topics", () -> {
            throw new IllegalStateException("bad jaas PlainLoginModule required password=\"hunter2\";");
        });

        List<CheckResult> results = new ConnectionCheck(List.of(leaky, throwing), Duration.ofSeconds(5), secrets)
                .run();

        assertThat(CheckReport.render(results)).doesNotContain("hunter2").contains("login with [hidden] failed")
                .contains("bad jaas [hidden]");
    }

    private static Probe probe(String name, Supplier<List<CheckResult>> run) {
        return new Probe() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<CheckResult> run() {
                return run.get();
            }
        };
    }
}
