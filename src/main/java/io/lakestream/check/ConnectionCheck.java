package io.lakestream.check;

import io.lakestream.config.LakestreamConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine of {@code check}: tests every connection a configuration needs (Kafka and its topics, the schema
 * registry, the object store, the catalog) without starting a pipeline, and says what fails and what to do.
 *
 * <p>The probes are independent and run in parallel; each bounds its own calls (Kafka and AWS timeouts), and
 * the whole run is bounded by a deadline, after which a probe still running is reported as FAIL. No result
 * shows a secret from the Kafka settings, whatever the client libraries put in their messages.
 */
public final class ConnectionCheck {

    private static final Logger log = LoggerFactory.getLogger(ConnectionCheck.class);
    /** Bound of the whole run: Kafka's own timeouts are 10 s per call, and a few calls run one after another. */
    static final long DEADLINE_SECONDS = 45;

    private final List<Probe> probes;
    private final Duration deadline;
    private final Secrets secrets;

    ConnectionCheck(List<Probe> probes, Duration deadline, Secrets secrets) {
        this.probes = List.copyOf(probes);
        this.deadline = deadline;
        this.secrets = secrets;
    }

    /**
     * Runs every check {@code config} calls for and returns the results in display order: {@code kafka}, one
     * {@code topic <name>} per source and output topic, {@code registry}, {@code store}, {@code catalog}.
     * Never throws for a failed connection (that is a FAIL result) and returns within about
     * {@value #DEADLINE_SECONDS} seconds.
     */
    public static List<CheckResult> run(LakestreamConfig config) {
        return run(config, Duration.ofSeconds(DEADLINE_SECONDS));
    }

    /** As {@link #run(LakestreamConfig)}, bounded by {@code deadline} ({@code check --timeout}). */
    public static List<CheckResult> run(LakestreamConfig config, Duration deadline) {
        List<Probe> probes = new java.util.ArrayList<>(List.of(KafkaProbe.of(config),
                RegistryProbe.of(config.registry()), StoreProbe.of(config.lake()),
                CatalogProbe.of(config.catalog(), config.lake())));
        if (!config.tableFormats().icebergTables().isEmpty()) {
            probes.add(new IcebergProbe(config));
        }
        return new ConnectionCheck(probes, deadline, Secrets.in(config.kafka())).run();
    }

    List<CheckResult> run() {
        ExecutorService executor = Executors.newFixedThreadPool(Math.max(1, probes.size()), daemonThreads());
        try {
            List<Callable<List<CheckResult>>> tasks = probes.stream()
                    .<Callable<List<CheckResult>>>map(probe -> probe::run).toList();
            // invokeAll cancels (interrupts) whatever has not finished by the deadline.
            List<Future<List<CheckResult>>> futures = executor.invokeAll(tasks, deadline.toMillis(),
                    TimeUnit.MILLISECONDS);
            List<CheckResult> results = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                results.addAll(outcome(probes.get(i), futures.get(i)));
            }
            List<CheckResult> redacted = results.stream().map(secrets::redact).toList();
            redacted.forEach(r -> log.debug("check {}: {} {}", r.name(), r.status(), r.detail()));
            return redacted;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking connections", e);
        } finally {
            executor.shutdownNow();
        }
    }

    private List<CheckResult> outcome(Probe probe, Future<List<CheckResult>> future) throws InterruptedException {
        try {
            return future.get();
        } catch (CancellationException e) {
            return List.of(CheckResult.fail(probe.name(), "no answer within " + deadline.toSeconds() + " s",
                    "something on the way does not answer: check the endpoint settings and the network"));
        } catch (ExecutionException e) {
            // A probe maps the failures it expects; anything else is still a FAIL of that probe, never a crash.
            Throwable cause = e.getCause();
            return List.of(CheckResult.fail(probe.name(), "unexpected error: " + cause, null));
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "lakestream-check-" + count.incrementAndGet());
            // A probe stuck in a call that ignores interrupts must not keep the CLI from exiting.
            thread.setDaemon(true);
            return thread;
        };
    }
}
