package io.lakestream.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * Options of the live Iceberg benchmark ({@link IcebergFreshnessBenchmark}), read from system properties
 * {@code bench.iceberg.*}; an empty value means the default (the {@code bench} Maven profile forwards every
 * property, empty unless given on the command line).
 *
 * @param catalog        {@code glue} (moto: S3 + Glue Data Catalog + Glue Schema Registry) or {@code local} (the
 *                       JDBC catalog on SQLite in a lake folder, local registry)
 * @param rate           claims produced per second
 * @param duration       how long the producer runs
 * @param warmup         the first part of the producer's run left out of the steady-state figures
 * @param window         landing window of the records and aggregates tables, and the aggregation's window, so that
 *                       an aggregates file holds exactly one aggregation window
 * @param grace          grace of the landing windows and the aggregation
 * @param idleTimeout    idle timeout of the windows (lakestream's default 60 s): closes the last windows after the
 *                       producer stopped, and an aggregates window when no later aggregation result arrives sooner
 * @param commitInterval {@code catalog.commit-interval}
 * @param partitions     partitions of the raw topic
 * @param recordSize     target size of a claim's JSON
 * @param heap           {@code -Xmx} of lakestream's JVM
 * @param brokerHeap     {@code -Xmx} of the broker process
 * @param outDir         where the logs, the work folder, {@code iceberg-results.md} and {@code files-over-time.md} go
 * @param eventTimeSpeed event-time seconds per wall-clock second ({@link EventClock}); 1: event time is the wall clock
 * @param maintenance    {@code catalog.maintenance} of the run: {@code default} (the shipped settings, a pass every
 *                       15 min), {@code off}, or a duration: passes at that interval, the other settings shipped
 */
record IcebergBenchOptions(String catalog, int rate, Duration duration, Duration warmup, Duration window,
                           Duration grace, Duration idleTimeout, Duration commitInterval, int partitions,
                           int recordSize, String heap, String brokerHeap, Path outDir, int eventTimeSpeed,
                           String maintenance) {

    static final String MAINTENANCE_DEFAULT = "default";
    static final String MAINTENANCE_OFF = "off";

    IcebergBenchOptions {
        if (!catalog.equals("glue") && !catalog.equals("local")) {
            throw new IllegalArgumentException("bench.iceberg.catalog: '" + catalog + "' is not glue or local");
        }
        if (rate <= 0 || partitions <= 0 || recordSize <= 0) {
            throw new IllegalArgumentException("bench.iceberg.rate, .partitions and .recordSize must be positive");
        }
        if (warmup.compareTo(duration) >= 0) {
            throw new IllegalArgumentException("bench.iceberg.warmup (" + warmup + ") must be shorter than "
                    + "bench.iceberg.duration (" + duration + ")");
        }
        if (window.isZero() || window.isNegative() || commitInterval.isZero() || commitInterval.isNegative()) {
            throw new IllegalArgumentException("bench.iceberg.window and .commitInterval must be positive");
        }
        if (eventTimeSpeed < 1) {
            throw new IllegalArgumentException("bench.iceberg.eventTimeSpeed: " + eventTimeSpeed
                    + " is not a whole number of at least 1");
        }
        if (!maintenance.equals(MAINTENANCE_DEFAULT) && !maintenance.equals(MAINTENANCE_OFF)) {
            parseDuration("bench.iceberg.maintenance", maintenance);
        }
    }

    static IcebergBenchOptions from(Properties p) {
        return new IcebergBenchOptions(get(p, "bench.iceberg.catalog", "glue"),
                Integer.parseInt(get(p, "bench.iceberg.rate", "1000")),
                duration(p, "bench.iceberg.duration", "270s"),
                duration(p, "bench.iceberg.warmup", "60s"),
                duration(p, "bench.iceberg.window", "30s"),
                duration(p, "bench.iceberg.grace", "5s"),
                duration(p, "bench.iceberg.idleTimeout", "60s"),
                duration(p, "bench.iceberg.commitInterval", "10s"),
                Integer.parseInt(get(p, "bench.iceberg.partitions", "4")),
                Integer.parseInt(get(p, "bench.iceberg.recordSize", "200")),
                get(p, "bench.heap", "512m"), get(p, "bench.brokerHeap", "512m"),
                Path.of(get(p, "bench.out", "target/bench")),
                Integer.parseInt(get(p, "bench.iceberg.eventTimeSpeed", "1")),
                get(p, "bench.iceberg.maintenance", MAINTENANCE_DEFAULT));
    }

    /** The {@code catalog.maintenance} section the run's config gets, or null to leave the shipped defaults. */
    String maintenanceYaml() {
        if (maintenance.equals(MAINTENANCE_DEFAULT)) {
            return null;
        }
        if (maintenance.equals(MAINTENANCE_OFF)) {
            return "maintenance: { enabled: false }";
        }
        return "maintenance: { interval: " + seconds(parseDuration("bench.iceberg.maintenance", maintenance)) + " }";
    }

    /** The command that reproduces this run. */
    String command() {
        return "mvn -B -Pbench test -Dbench.main=" + IcebergFreshnessBenchmark.class.getName()
                + " -Dbench.iceberg.catalog=" + catalog + " -Dbench.iceberg.rate=" + rate
                + " -Dbench.iceberg.duration=" + seconds(duration) + " -Dbench.iceberg.warmup=" + seconds(warmup)
                + " -Dbench.iceberg.window=" + seconds(window) + " -Dbench.iceberg.grace=" + seconds(grace)
                + " -Dbench.iceberg.idleTimeout=" + seconds(idleTimeout)
                + " -Dbench.iceberg.commitInterval=" + seconds(commitInterval)
                + " -Dbench.iceberg.partitions=" + partitions
                + (eventTimeSpeed == 1 ? "" : " -Dbench.iceberg.eventTimeSpeed=" + eventTimeSpeed)
                + (maintenance.equals(MAINTENANCE_DEFAULT) ? "" : " -Dbench.iceberg.maintenance=" + maintenance);
    }

    /** A duration as the YAML config and the command line write it: {@code 30s}, or {@code 500ms}. */
    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /** {@code 90s}, {@code 500ms}, {@code 4m} or an ISO-8601 duration ({@code PT4M}). */
    static Duration parseDuration(String name, String value) {
        String v = value.trim();
        try {
            if (v.startsWith("P") || v.startsWith("p")) {
                return Duration.parse(v);
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + ": '" + value + "' is not a duration such as 30s, 500ms or 4m");
        }
    }

    private static Duration duration(Properties p, String name, String fallback) {
        return parseDuration(name, get(p, name, fallback));
    }

    /** A property, or {@code fallback} when it is absent or blank (the bench profile forwards empty values). */
    static String get(Properties p, String name, String fallback) {
        String v = p.getProperty(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }
}
