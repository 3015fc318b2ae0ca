package io.lakestream.runtime;

import ch.qos.logback.classic.Level;
import io.lakestream.check.Bootstrap;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.LoggerFactory;

/**
 * Before a command builds its Kafka clients: is any broker there? Kafka's clients retry an unreachable bootstrap
 * until their own timeouts (a minute and more, with a warning per attempt) and then report "Timed out waiting for a
 * node assignment", which names neither the address nor what to do. This answers in one line, within the bound.
 */
public final class KafkaPreflight {

    /** How long a first contact may take when the command has no {@code --timeout}. */
    public static final Duration DEFAULT_BOUND = Duration.ofSeconds(30);
    /** A TCP connect that takes longer than this will not become a working Kafka connection. */
    private static final Duration CONNECT_BOUND = Duration.ofSeconds(10);

    /**
     * Why Kafka cannot be used.
     *
     * @param timeout true when Kafka did not answer in time (exit 3), false when it answered with an error (exit 1)
     */
    public record Failure(String message, boolean timeout) {
        public int exitCode() {
            return timeout ? 3 : 1;
        }
    }

    private KafkaPreflight() {
    }

    /**
     * Connects to the bootstrap servers and asks for the cluster's brokers, within {@code timeout} (or
     * {@link #DEFAULT_BOUND}); {@code config} is named in the hint to run {@code check} (null: no config file).
     */
    public static Optional<Failure> check(Map<String, String> kafka, Duration timeout, Path config) {
        Duration bound = timeout == null || timeout.compareTo(DEFAULT_BOUND) > 0 ? DEFAULT_BOUND : timeout;
        String bootstrap = kafka.getOrDefault(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "");
        String hint = config == null ? "; is the broker running, and is the address right?"
                : "; run `lakestream check --config " + config + "` to see what fails";
        Optional<String> unreachable = Bootstrap.unreachable(bootstrap,
                bound.compareTo(CONNECT_BOUND) > 0 ? CONNECT_BOUND : bound);
        if (unreachable.isPresent()) {
            return Optional.of(new Failure("Kafka unreachable at " + bootstrap + ": " + unreachable.get() + hint, true));
        }
        Properties p = new Properties();
        kafka.forEach(p::put);
        String millis = Long.toString(Math.max(1, bound.toMillis()));
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "lakestream-preflight");
        return quietly(() -> {
            try (Admin admin = Admin.create(p)) {
                admin.describeCluster().nodes().get(bound.toMillis(), TimeUnit.MILLISECONDS);
                return Optional.empty();
            } catch (TimeoutException e) {
                return Optional.of(new Failure("Kafka at " + bootstrap + " accepts connections but did not answer "
                        + "within " + bound.toSeconds() + "s (TLS or SASL settings that do not match the listener?)"
                        + hint, true));
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                boolean timedOut = cause instanceof org.apache.kafka.common.errors.TimeoutException;
                return Optional.of(new Failure("Kafka at " + bootstrap + (timedOut ? " did not answer within "
                        + bound.toSeconds() + "s" : ": " + cause.getMessage()) + hint, timedOut));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of(new Failure("interrupted while contacting Kafka at " + bootstrap, true));
            } catch (org.apache.kafka.common.KafkaException e) {
                return Optional.of(new Failure("Kafka client settings rejected: " + LakestreamApp.rootMessage(e),
                        false));
            }
        });
    }

    interface Probe<T> {
        T run();
    }

    /**
     * Runs {@code probe} with the Kafka clients' own logging held back to errors: a failing first contact logs a
     * warning per connection attempt, pages that say less than the one line the caller prints.
     */
    static <T> T quietly(Probe<T> probe) {
        if (!(LoggerFactory.getLogger("org.apache.kafka") instanceof ch.qos.logback.classic.Logger kafkaLog)) {
            return probe.run();
        }
        Level before = kafkaLog.getLevel();
        kafkaLog.setLevel(Level.ERROR);
        try {
            return probe.run();
        } finally {
            kafkaLog.setLevel(before);
        }
    }
}
