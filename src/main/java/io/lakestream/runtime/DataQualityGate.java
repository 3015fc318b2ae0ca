package io.lakestream.runtime;

import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.PipelineConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The data-quality gate ({@code pipelines[].limits.max-dead-letter-ratio}): the share of a pipeline's records that
 * went to the dead-letter topic, over the whole run and over a sliding window while running. A broken schema
 * dead-letters nearly everything; stopping then leaves the records not yet read in the raw topic, to be normalized
 * once the schema is fixed, instead of sending the whole topic to the DLQ.
 */
final class DataQualityGate {

    /** The sliding window a running service is judged over. */
    static final Duration WINDOW = Duration.ofMinutes(5);
    /**
     * Fewer records than this, in the window or in a whole run, prove nothing about a schema: one bad record of ten
     * is not a trend (a scheduled run that finds five records, one malformed, must not fail).
     */
    static final long MIN_RECORDS_IN_WINDOW = 100;

    private final MeterRegistry meters;
    private final Map<String, PipelineState> pipelines = new LinkedHashMap<>();
    private String breach;

    private static final class PipelineState {
        final PipelineConfig config;
        final String path;
        final Deque<long[]> samples = new ArrayDeque<>(); // {time, records in, dead letters}
        volatile double windowRatio;
        volatile boolean breached;

        PipelineState(PipelineConfig config, String path) {
            this.config = config;
            this.path = path;
        }
    }

    /**
     * The whole-run figures of one pipeline.
     *
     * @param dominantClass the most frequent error class, null without dead letters
     */
    record Verdict(String pipeline, long recordsIn, long deadLettered, double ratio, double limit,
                   String dominantClass, long dominantCount, String limitPath) {

        boolean failed() {
            return judged(recordsIn, limit) && ratio > limit;
        }

        /** Why the gate failed, naming the setting to change (null when it passed). */
        String problem(String example) {
            if (!failed()) {
                return null;
            }
            return String.format(Locale.ROOT, "pipeline %s: %d of %d records (%.2f %%) went to the dead-letter "
                            + "topic, more than %s = %s; mostly %s (%d)%s", pipeline, deadLettered, recordsIn,
                    100 * ratio, limitPath, limit, dominantClass, dominantCount,
                    example == null ? "" : ", e.g. " + example);
        }
    }

    DataQualityGate(LakestreamConfig config, MeterRegistry meters) {
        this.meters = meters;
        for (int i = 0; i < config.pipelines().size(); i++) {
            PipelineConfig p = config.pipelines().get(i);
            PipelineState state = new PipelineState(p, "pipelines[" + i + "].limits.max-dead-letter-ratio");
            pipelines.put(p.name(), state);
            Gauge.builder("lakestream.dead.letter.ratio", state, s -> s.windowRatio).tag("pipeline", p.name())
                    .description("share of the records read in the last " + WINDOW.toMinutes()
                            + " minutes that went to the dead-letter topic").register(meters);
            Gauge.builder("lakestream.data.quality.breached", state, s -> s.breached ? 1 : 0)
                    .tag("pipeline", p.name())
                    .description("1 once the dead-letter ratio exceeded limits.max-dead-letter-ratio")
                    .register(meters);
        }
    }

    /** Takes a sample of the counters and judges the sliding window; a breach stays until the process ends. */
    synchronized void tick(long nowMillis) {
        for (PipelineState s : pipelines.values()) {
            String name = s.config.name();
            long in = MeterFigures.count(meters, MeterFigures.RECORDS_IN, "pipeline", name);
            long dead = MeterFigures.count(meters, MeterFigures.DLQ_RECORDS, "pipeline", name);
            if (s.samples.isEmpty()) {
                s.samples.addLast(new long[] {nowMillis, 0, 0}); // the counters start at zero with the run
            }
            s.samples.addLast(new long[] {nowMillis, in, dead});
            // Keep the last sample taken at or before the window's start, so the window spans at least WINDOW.
            while (s.samples.size() > 2 && secondOldest(s)[0] <= nowMillis - WINDOW.toMillis()) {
                s.samples.removeFirst();
            }
            long[] oldest = s.samples.peekFirst();
            long windowIn = in - oldest[1];
            long windowDead = dead - oldest[2];
            s.windowRatio = windowIn == 0 ? 0 : (double) windowDead / windowIn;
            if (judged(windowIn, s.config.limits().maxDeadLetterRatio())
                    && s.windowRatio > s.config.limits().maxDeadLetterRatio()
                    && !s.breached) {
                s.breached = true;
                if (breach == null) {
                    breach = String.format(Locale.ROOT, "pipeline %s: %.2f %% of the last %d records went to the "
                                    + "dead-letter topic, more than %s = %s", name, 100 * s.windowRatio, windowIn,
                            s.path, s.config.limits().maxDeadLetterRatio());
                }
            }
        }
    }

    /** Whether {@code records} are enough to judge: a limit of 0 means no dead letter at all, from the first. */
    static boolean judged(long records, double limit) {
        return limit == 0 ? records > 0 : records >= MIN_RECORDS_IN_WINDOW;
    }

    private static long[] secondOldest(PipelineState s) {
        var it = s.samples.iterator();
        it.next();
        return it.next();
    }

    /** Why the gate tripped while running, empty while every pipeline is within its limit. */
    synchronized Optional<String> breach() {
        return Optional.ofNullable(breach);
    }

    /** The whole-run figures of each pipeline, from the counters. */
    Map<String, Verdict> overRun() {
        Map<String, Verdict> result = new LinkedHashMap<>();
        for (PipelineState s : pipelines.values()) {
            String name = s.config.name();
            long in = MeterFigures.count(meters, MeterFigures.RECORDS_IN, "pipeline", name);
            Map<String, Long> byClass = MeterFigures.countBy(meters, MeterFigures.DLQ_RECORDS, "error_class",
                    "pipeline", name);
            long dead = byClass.values().stream().mapToLong(Long::longValue).sum();
            Map.Entry<String, Long> top = byClass.entrySet().stream().max(Map.Entry.comparingByValue()).orElse(null);
            result.put(name, new Verdict(name, in, dead, in == 0 ? 0 : (double) dead / in,
                    s.config.limits().maxDeadLetterRatio(), top == null ? null : top.getKey(),
                    top == null ? 0 : top.getValue(), s.path));
        }
        return result;
    }
}
