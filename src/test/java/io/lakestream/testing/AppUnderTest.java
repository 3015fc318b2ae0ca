package io.lakestream.testing;

import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.port.Ports;
import io.lakestream.runtime.LakestreamApp;
import io.lakestream.runtime.PortsFactory;
import io.lakestream.runtime.Schemas;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The real application in this JVM, built from a config as {@code run} builds it (ports from the config: registry,
 * S3 or the local lake, Glue or the local catalog), with its own metrics registry. Every in-process end-to-end test
 * starts lakestream through this class.
 */
public final class AppUnderTest implements AutoCloseable {

    private final LakestreamConfig config;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private Ports ports;
    private LakestreamApp app;
    private boolean closed;

    private AppUnderTest(LakestreamConfig config) {
        this.config = config;
    }

    public static AppUnderTest of(LakestreamConfig config) {
        return new AppUnderTest(config);
    }

    /** @param schemaDir folder the YAML's schema paths are relative to */
    public static AppUnderTest parse(String yaml, Path schemaDir) {
        return of(ConfigLoader.parse(yaml, schemaDir, Map.of(), "test.yaml"));
    }

    /**
     * {@code run --until-caught-up} in this JVM: starts the application, waits until every input partition is
     * consumed and every window landed, stops it. Its metrics and ports stay readable.
     */
    public static AppUnderTest runUntilCaughtUp(LakestreamConfig config, Duration timeout) throws Exception {
        try (AppUnderTest run = of(config)) {
            run.start().awaitCaughtUp(timeout);
            return run;
        }
    }

    public LakestreamConfig config() {
        return config;
    }

    /**
     * Builds the ports (registry, S3, Glue), provisions topics and starts Kafka Streams; a start that fails closes
     * what it had started.
     */
    public LakestreamApp start() throws Exception {
        ports = PortsFactory.create(config, metrics);
        app = new LakestreamApp(config, Schemas.load(config), ports, metrics);
        try {
            app.start();
            return app;
        } catch (Exception | Error e) {
            close(); // a start that failed half-way must not leave stream threads behind
            throw e;
        }
    }

    public LakestreamApp app() {
        return app;
    }

    /** The ports the application was started with (null before {@link #start()}). */
    public Ports ports() {
        return ports;
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    @Override
    public void close() {
        if (app != null && !closed) {
            closed = true;
            app.close();
        }
    }
}
