package io.lakestream.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a run did: per pipeline the records read, normalized, dead-lettered (by class) and late; per table the objects,
 * rows, bytes and partitions landed and the event-time span they cover; per aggregation the records left out of it. Printed at the end of {@code run} (and on
 * SIGTERM), logged while running, and written as JSON with {@code --report FILE.json} for schedulers.
 *
 * @param started  ISO-8601 instant, as {@code ended} and the event times
 * @param outcome  {@code caught-up}, {@code stopped}, {@code data-quality}, {@code records-lost},
 *                 {@code timeout}, {@code failed} or
 *                 {@code running} (a report logged while running)
 * @param exitCode the code the run exits with (null while running)
 */
public record RunReport(String application, String started, String ended, long durationMillis, String outcome,
                        Integer exitCode, List<Pipeline> pipelines, List<Table> tables,
                        List<Aggregation> aggregations) {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT).build();

    /**
     * One pipeline's records. Counted by this instance as it processed them; a task retried under exactly-once may
     * count a record twice, the lake and the dead-letter topic hold it once.
     *
     * @param filtered         records normalized that the pipeline's {@code filter} left out (not landed, not
     *                         dead-lettered)
     * @param deadLetters      error class → records sent to the dead-letter topic
     * @param late             records landed in the records table flagged late
     * @param deadLetterRatio  dead letters / records read
     * @param dominantClass    the most frequent error class (null without dead letters)
     * @param example          the message of one dead letter of the dominant class, when this run read one back
     * @param qualityProblem   why the data-quality gate failed this pipeline (null when it passed)
     */
    public record Pipeline(String name, long recordsIn, long normalized, long filtered, Map<String, Long> deadLetters,
                           long late, double deadLetterRatio, double maxDeadLetterRatio, String dominantClass, String example,
                           Map<String, String> examples, String qualityProblem) {

        public long deadLettered() {
            return deadLetters.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * One table's landings in this run, from the landing events (each object counted once, also when a replay
     * published its event again). Event times are those of the windows the objects cover.
     *
     * @param bytes           bytes written by this instance
     * @param firstEventTime  start of the earliest window landed
     * @param lastEventTime   end (exclusive) of the latest window landed
     * @param missingOnReplay records this instance's replays needed to rebuild open windows that the input topic no
     *                        longer held (retention): in no object of this table, counted by the aggregates if the
     *                        aggregation read them before
     */
    public record Table(String name, long objects, long lateObjects, long rows, long bytes, int partitions,
                        String firstEventTime, String lastEventTime, long missingOnReplay) {
    }

    public boolean recordsLost() {
        return tables.stream().anyMatch(t -> t.missingOnReplay() > 0);
    }

    /**
     * One aggregation's answer for late records: every record the pipeline normalized is either counted in each
     * window of the aggregation it falls in, or counted here, because at least one of those windows had closed when
     * it came (beyond grace, or idle-closed). Such a record is still in the records table (flagged {@code _late}
     * when the records sink had closed its window too). Counted by this instance, as the pipeline's counts are.
     *
     * @param leftOut records left out of at least one window of this aggregation
     */
    public record Aggregation(String pipeline, String name, String table, long leftOut) {
    }

    public boolean qualityFailed() {
        return pipelines.stream().anyMatch(p -> p.qualityProblem() != null);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RunReport fromJson(String json) {
        try {
            return JSON.readValue(json, RunReport.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a run report: " + e.getMessage(), e);
        }
    }

    public void writeJson(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, toJson());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the run report to " + file + ": " + e.getMessage(), e);
        }
    }

    /** The human-readable form: a few aligned lines, the data-quality verdict last. */
    public String toText() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "run of %s: %s after %s%n", application, outcome,
                human(Duration.ofMillis(durationMillis))));
        out.append(String.format(Locale.ROOT, "%-24s %10s %10s %10s %10s %8s  %s%n", "pipeline", "read", "normalized",
                "filtered", "dead", "late", "dead letters by class"));
        for (Pipeline p : pipelines) {
            out.append(String.format(Locale.ROOT, "%-24s %10d %10d %10d %10d %8d  %s%n", p.name(), p.recordsIn(),
                    p.normalized(), p.filtered(), p.deadLettered(), p.late(), p.deadLetters().isEmpty() ? "-"
                            : p.deadLetters().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining(" "))));
        }
        out.append(String.format(Locale.ROOT, "%-24s %8s %6s %10s %12s %10s  %s%n", "table", "objects", "late",
                "rows", "bytes", "partitions", "event time"));
        for (Table t : tables) {
            out.append(String.format(Locale.ROOT, "%-24s %8d %6d %10d %12d %10d  %s%n", t.name(), t.objects(),
                    t.lateObjects(), t.rows(), t.bytes(), t.partitions(), t.firstEventTime() == null ? "-"
                            : t.firstEventTime() + " .. " + t.lastEventTime()));
        }
        if (aggregations != null && !aggregations.isEmpty()) {
            out.append(String.format(Locale.ROOT, "%-24s %-24s %10s%n", "aggregation", "table",
                    "left out"));
            for (Aggregation a : aggregations) {
                out.append(String.format(Locale.ROOT, "%-24s %-24s %10d%n", a.pipeline() + "." + a.name(),
                        a.table(), a.leftOut()));
            }
        }
        for (Table t : tables) {
            if (t.missingOnReplay() > 0) {
                out.append(String.format(Locale.ROOT, "RECORDS LOST: table %s: %d record(s) its open windows needed "
                        + "were deleted by retention before a replay could read them; they are in no object of the "
                        + "table%n", t.name(), t.missingOnReplay()));
            }
        }
        for (Pipeline p : pipelines) {
            if (p.qualityProblem() != null) {
                out.append("DATA QUALITY: ").append(p.qualityProblem()).append(System.lineSeparator());
            } else if (p.dominantClass() != null) {
                out.append(String.format(Locale.ROOT, "data quality of %s: %.2f %% dead letters (limit %.2f %%), "
                                + "mostly %s%s%n", p.name(), 100 * p.deadLetterRatio(), 100 * p.maxDeadLetterRatio(),
                        p.dominantClass(), p.example() == null ? "" : ", e.g. " + p.example()));
            }
        }
        return out.toString();
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
        }
        return s < 3600 ? (s / 60) + " min " + (s % 60) + " s" : (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }
}
