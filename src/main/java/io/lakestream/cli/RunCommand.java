package io.lakestream.cli;

import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.port.Ports;
import io.lakestream.runtime.ExitCodes;
import io.lakestream.runtime.KafkaPreflight;
import io.lakestream.runtime.LakestreamApp;
import io.lakestream.runtime.PortsFactory;
import io.lakestream.runtime.RunMonitor;
import io.lakestream.runtime.RunOutcome;
import io.lakestream.runtime.Schemas;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The service: runs every pipeline until stopped, or until caught up (a scheduled job run). */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the pipelines of a config file.")
final class RunCommand extends ConfigCommand {

    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = "--until-caught-up",
            description = "Exit 0 once every input partition is consumed and every window is flushed.")
    boolean untilCaughtUp;

    @Option(names = "--timeout", converter = DurationConverter.class,
            description = "Give up after this long (e.g. 30m) and exit 3.")
    Duration timeout;

    @Option(names = "--report", paramLabel = "FILE.json", description = "Also write the end-of-run report as JSON.")
    Path report;

    @Option(names = "--report-every", defaultValue = "5m", converter = DurationConverter.class,
            description = "Log the run report at INFO this often while running (default: ${DEFAULT-VALUE}).")
    Duration reportEvery;

    @Option(names = "--progress", negatable = true, description = "Print a progress line on stdout every "
            + "--progress-every (default: when stdout is a terminal).")
    Boolean progress;

    @Option(names = "--progress-every", defaultValue = "10s", converter = DurationConverter.class,
            description = "How often the progress line is printed (default: ${DEFAULT-VALUE}).")
    Duration progressEvery;

    @Option(names = "--verbose", description = "Also log each dead letter, the topology, and the routine Kafka "
            + "and Iceberg warnings held back by default.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        // Before the config is loaded, so that its loading logs as the rest of the run does.
        if (verbose) {
            io.lakestream.cli.RoutineNotices.verbose();
        }
        return super.call();
    }

    @Override
    int call(LakestreamConfig cfg) throws Exception {
        log.info("effective configuration: {}", ConfigLoader.masked(cfg));
        OptionalInt unreachable = CliConfig.kafkaUnreachable(cfg.kafka(), timeout, config);
        if (unreachable.isPresent()) {
            return unreachable.getAsInt();
        }
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Ports ports = PortsFactory.create(cfg, prometheus);
        LakestreamApp app = new LakestreamApp(cfg, Schemas.load(cfg), ports, prometheus);
        RunMonitor monitor = new RunMonitor(cfg, prometheus, KafkaPreflight.DEFAULT_BOUND);
        app.readiness(monitor::readinessProblem);
        RunOutcome outcome = new RunOutcome(monitor, report);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            log.info("shutting down {}", cfg.application().id());
            outcome.terminating();
            app.close();
            outcome.reportOnSigterm();
            stopped.countDown();
        }, "lakestream-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        int code;
        String how;
        ProgressLine progressLine = null;
        boolean maintainAfter = false;
        try {
            app.start();
            monitor.start(reportEvery, outcome::interruptWait);
            if (progress == null ? System.console() != null : progress) {
                progressLine = new ProgressLine(prometheus, ports.drain(), app::sourceLag, System.out)
                        .start(progressEvery);
            }
            Duration limit = timeout == null ? Duration.ofDays(3650) : timeout;
            outcome.waiting(true);
            if (untilCaughtUp) {
                app.awaitCaughtUp(limit);
                System.out.println("caught up: every input record consumed and every window flushed");
                how = "caught-up";
                code = ExitCodes.OK;
                maintainAfter = cfg.tableFormats().maintenance().enabled()
                        && !cfg.tableFormats().icebergTables().isEmpty();
            } else {
                app.awaitStopped(limit);
                how = "stopped";
                code = app.failure() == null ? ExitCodes.OK : ExitCodes.FAILURE;
            }
        } catch (TimeoutException e) {
            System.err.println("timeout: " + e.getMessage());
            how = "timeout";
            code = ExitCodes.TIMEOUT;
        } catch (InterruptedException | IllegalStateException | org.apache.kafka.common.KafkaException e) {
            // The data-quality gate interrupts the wait; otherwise e.g. a keystore that cannot be read, or TLS/SASL
            // credentials the brokers reject.
            if (!monitor.breached()) {
                System.err.println("failed: " + LakestreamApp.rootMessage(e));
            }
            how = monitor.breached() ? "data-quality" : "failed";
            code = monitor.breached() ? ExitCodes.DATA_QUALITY : ExitCodes.FAILURE;
        } finally {
            if (progressLine != null) {
                progressLine.close();
            }
            outcome.waiting(false);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
                app.close();
            } catch (IllegalStateException shuttingDown) {
                stopped.await();
            }
        }
        if (maintainAfter) {
            // The drain closed every window: every partition is closed, and the committers are stopped.
            code = MaintainCommand.pass(cfg, List.copyOf(cfg.tableFormats().icebergTables().keySet()), true)
                    ? code : ExitCodes.FAILURE;
        }
        return outcome.report(how, code);
    }
}
