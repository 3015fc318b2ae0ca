package io.lakestream.testing;

import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.runtime.LakestreamApp;
import io.lakestream.runtime.PortsFactory;
import io.lakestream.runtime.Schemas;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.Map;

/** The real application, built from YAML text as {@code run} would build it, for end-to-end tests. */
public final class AppUnderTest implements AutoCloseable {

    private final LakestreamConfig config;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private LakestreamApp app;

    private AppUnderTest(LakestreamConfig config) {
        this.config = config;
    }

    /** @param schemaDir folder the YAML's schema paths are relative to */
    public static AppUnderTest parse(String yaml, Path schemaDir) {
        return new AppUnderTest(ConfigLoader.parse(yaml, schemaDir, Map.of(), "test.yaml"));
    }

    public LakestreamConfig config() {
        return config;
    }

    /** Builds the ports (registry, S3, Glue), provisions topics and starts Kafka Streams. */
    public LakestreamApp start() throws Exception {
        app = new LakestreamApp(config, Schemas.load(config), PortsFactory.create(config, metrics), metrics);
        app.start();
        return app;
    }

    public LakestreamApp app() {
        return app;
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    @Override
    public void close() {
        if (app != null) {
            app.close();
        }
    }
}
