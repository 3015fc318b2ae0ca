package io.lakestream.app;

import io.lakestream.config.ConfigException;
import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The service: runs every pipeline until stopped, or until caught up (a scheduled job run). */
@Command(name = "run", description = "Run the pipelines of a config file.")
final class RunCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = {"-c", "--config"}, required = true, description = "YAML config file")
    Path config;

    @Option(names = "--until-caught-up",
            description = "Exit 0 once every input partition is consumed and every window is flushed.")
    boolean untilCaughtUp;

    @Option(names = "--timeout", converter = DurationConverter.class,
            description = "Give up after this long (e.g. 30m) and exit 3.")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        LakestreamConfig cfg;
        try {
            cfg = ConfigLoader.load(config);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        log.info("effective configuration: {}", ConfigLoader.masked(cfg));
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Ports ports = PortsFactory.create(cfg, prometheus);
        LakestreamApp app = new LakestreamApp(cfg, Schemas.load(cfg), ports, prometheus);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            log.info("shutting down {}", cfg.application().id());
            app.close();
            stopped.countDown();
        }, "lakestream-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            app.start();
            Duration limit = timeout == null ? Duration.ofDays(3650) : timeout;
            if (untilCaughtUp) {
                app.awaitCaughtUp(limit);
                System.out.println("caught up: every input record consumed and every window flushed");
                return 0;
            }
            app.awaitStopped(limit);
            return app.failure() == null ? 0 : 1;
        } catch (TimeoutException e) {
            System.err.println("timeout: " + e.getMessage());
            return 3;
        } catch (IllegalStateException | org.apache.kafka.common.KafkaException e) {
            // e.g. a keystore that cannot be read, or TLS/SASL credentials the brokers reject
            System.err.println("failed: " + LakestreamApp.rootMessage(e));
            return 1;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
                app.close();
            } catch (IllegalStateException shuttingDown) {
                stopped.await();
            }
        }
    }
}
