package io.lakestream.runtime;

import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.PipelineConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one run: samples the data-quality gate every few seconds (and calls {@code onBreach} once when it trips),
 * logs the run report at INFO every {@code logEvery}, and builds the final report. Reads only the app's meters and
 * what the run published on the landings and dead-letter topics, so it does not depend on how the sinks buffer.
 */
public final class RunMonitor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RunMonitor.class);
    private static final long TICK_MILLIS = 5_000;

    private final LakestreamConfig config;
    private final MeterRegistry meters;
    private final DataQualityGate gate;
    private final LandingTally tally;
    private final Instant started = Instant.now();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lakestream-run-report");
        t.setDaemon(true);
        return t;
    });
    private RunReport finalReport;

    /** Notes where the landings and dead-letter topics end; call before the app starts processing. */
    public RunMonitor(LakestreamConfig config, MeterRegistry meters, Duration kafkaTimeout) {
        this.config = config;
        this.meters = meters;
        this.gate = new DataQualityGate(config, meters);
        Map<String, String> dlqTopics = new LinkedHashMap<>();
        config.pipelines().forEach(p -> dlqTopics.put(p.dlqTopic(), p.name()));
        this.tally = new LandingTally(config.kafka(), config.landingsTopic(), dlqTopics, kafkaTimeout);
    }

    /** Starts the gate's sampling and the periodic log; {@code onBreach} runs once, on the monitor's thread. */
    public void start(Duration logEvery, Runnable onBreach) {
        boolean[] told = {false};
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                gate.tick(System.currentTimeMillis());
                Optional<String> breach = gate.breach();
                if (breach.isPresent() && !told[0]) {
                    told[0] = true;
                    log.error("data-quality gate: {}; stopping", breach.get());
                    onBreach.run();
                }
            } catch (RuntimeException e) {
                log.warn("data-quality gate: cannot sample the counters", e);
            }
        }, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        long every = Math.max(1000, logEvery.toMillis());
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                tally.catchUp(Duration.ofSeconds(10));
                log.info("run report so far:\n{}", report("running", null).toText());
            } catch (RuntimeException e) {
                log.warn("run report: cannot build it", e);
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /** Why {@code /health/ready} should say no: the data-quality gate tripped. */
    public Optional<String> readinessProblem() {
        return gate.breach().map(b -> "data-quality gate: " + b);
    }

    /** True once the gate tripped during the run. */
    public boolean breached() {
        return gate.breach().isPresent();
    }

    /**
     * The report of the whole run, once: reads the landings and dead letters to their end (after the app closed,
     * its last transactions are committed), then judges the data-quality gate over the whole run.
     */
    synchronized RunReport finish(String outcome, int exitCode, Duration readTimeout) {
        if (finalReport == null) {
            scheduler.shutdownNow();
            tally.catchUp(readTimeout);
            finalReport = report(outcome, exitCode);
            if (finalReport.qualityFailed() && exitCode == 0) {
                finalReport = report("data-quality", ExitCodes.DATA_QUALITY);
            } else if (finalReport.recordsLost() && exitCode == 0) {
                finalReport = report("records-lost", ExitCodes.RECORDS_LOST);
            }
        }
        return finalReport;
    }

    RunReport report(String outcome, Integer exitCode) {
        Instant now = Instant.now();
        Map<String, DataQualityGate.Verdict> verdicts = gate.overRun();
        List<RunReport.Pipeline> pipelines = new ArrayList<>();
        List<RunReport.Table> tables = new ArrayList<>();
        List<RunReport.Aggregation> aggregations = new ArrayList<>();
        Map<String, LandingTally.TableTally> landed = tally.tables();
        for (PipelineConfig p : config.pipelines()) {
            DataQualityGate.Verdict v = verdicts.get(p.name());
            Map<String, String> examples = tally.examples(p.name());
            String example = v.dominantClass() == null ? null : examples.get(v.dominantClass());
            pipelines.add(new RunReport.Pipeline(p.name(), v.recordsIn(),
                    MeterFigures.count(meters, MeterFigures.RECORDS_OUT, "pipeline", p.name()),
                    MeterFigures.count(meters, MeterFigures.RECORDS_FILTERED, "pipeline", p.name()),
                    MeterFigures.countBy(meters, MeterFigures.DLQ_RECORDS, "error_class", "pipeline", p.name()),
                    MeterFigures.count(meters, MeterFigures.LATE_RECORDS, "pipeline", p.name(),
                            "table", p.landing().table()),
                    v.ratio(), v.limit(), v.dominantClass(), example, examples, v.problem(example)));
            tables.add(table(p.landing().table(), landed));
            p.aggregations().forEach(a -> {
                tables.add(table(a.table(), landed));
                aggregations.add(new RunReport.Aggregation(p.name(), a.name(), a.table(), MeterFigures.count(meters,
                        MeterFigures.LEFT_OUT_RECORDS, "pipeline", p.name(), "aggregation", a.name())));
            });
        }
        return new RunReport(config.application().id(), started.toString(), now.toString(),
                Duration.between(started, now).toMillis(), outcome, exitCode, pipelines, tables, aggregations);
    }

    private RunReport.Table table(String name, Map<String, LandingTally.TableTally> landed) {
        LandingTally.TableTally t = landed.getOrDefault(name, new LandingTally.TableTally());
        return new RunReport.Table(name, t.objectKeys.size(), t.lateObjects, t.rows,
                MeterFigures.count(meters, MeterFigures.BYTES_WRITTEN, "table", name), t.partitions.size(),
                t.first(), t.last(), MeterFigures.count(meters, MeterFigures.REPLAY_MISSING, "table", name));
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        tally.close();
    }
}
