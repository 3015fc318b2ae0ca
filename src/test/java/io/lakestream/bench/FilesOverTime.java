package io.lakestream.bench;

import static io.lakestream.bench.IcebergCommitFigures.NONE;
import static io.lakestream.bench.IcebergReport.s;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.iceberg.DataOperations;

/**
 * Files per Iceberg table over a live run, from the samples {@link FilesSampler} took: whether each closed hour
 * partition was compacted to at most {@value #MAX_FILES_PER_CLOSED_HOUR} files once a maintenance pass was due, how
 * many files the open hours hold, and whether lakestream's appends kept one per commit interval throughout
 * (compaction commits in between). Pure: the catalog is read by the sampler.
 */
final class FilesOverTime {

    /** What compaction leaves in a closed hour: its files packed up to the target size (here far below it). */
    static final int MAX_FILES_PER_CLOSED_HOUR = 2;
    private static final long HOUR = Duration.ofHours(1).toMillis();

    private FilesOverTime() {
    }

    /**
     * One table read from the catalog.
     *
     * @param filesByHour data files of the current snapshot per hour partition (start of the hour, epoch millis)
     * @param newestEvent the newest event time in the current snapshot's files (epoch millis), or
     *                    {@link IcebergCommitFigures#NONE}
     */
    record Sample(long at, String table, int dataFiles, int snapshots, Map<Long, Integer> filesByHour,
                  long newestEvent) {
        Sample {
            filesByHour = Map.copyOf(filesByHour);
        }
    }

    /** A snapshot of the table: its operation ({@code append} for lakestream's commits, {@code replace}) and time. */
    record Commit(long snapshotId, String operation, long committedAt) {
    }

    /**
     * When an hour counts as closed and when its compaction is due. An hour is closed from the first sample whose
     * table holds an event time {@code closeAfter} past the hour's end: judged from what was committed, so a
     * lakestream that lags the producer is not held to the producer's clock.
     *
     * @param clock               the producer's event time, for the series only
     * @param closeAfter          event time past an hour's end after which no window can add to it (two windows and a
     *                            grace: the aggregates table lands a window one window later than the records table)
     * @param commitInterval      {@code catalog.commit-interval}
     * @param maintenanceInterval {@code catalog.maintenance.interval}, {@link IcebergCommitFigures#NONE} when off
     */
    record Rules(EventClock clock, long closeAfter, long commitInterval, long maintenanceInterval) {

        boolean closes(long hourStart, Sample s) {
            return s.newestEvent() != NONE && s.newestEvent() >= hourStart + HOUR + closeAfter;
        }

        /** A pass runs within an interval (counted from the end of the previous one) plus a commit's time. */
        long dueAt(long closedAt) {
            return maintenanceInterval == NONE ? Long.MAX_VALUE : closedAt + maintenanceInterval + 2 * commitInterval;
        }
    }

    /**
     * The figures of one table.
     *
     * @param closedFilesLast   files per closed hour at the last sample
     * @param overdueHours      closed hours that held more than two files in a sample taken after their compaction
     *                          was due
     * @param maxClosedAfterDue most files of a closed hour in any sample after its compaction was due
     * @param pendingHours      closed hours with more than two files whose compaction was not yet due at the end
     * @param openFilesLast     files in the hours not closed, at the last sample
     * @param maxCompactionWait longest time from the sample that first saw an hour closed to the first one that saw it
     *                          compacted
     */
    record TableFiles(String table, int samples, int maxFiles, int lastFiles, int lastSnapshots,
                      Map<Long, Integer> closedFilesLast, Set<Long> overdueHours, int maxClosedAfterDue,
                      int pendingHours, int openHoursLast, int openFilesLast, long maxCompactionWait, int appends,
                      int replaces, long minAppendGap, long medianAppendGap, int appendGapsBelowInterval,
                      long intervalMillis) {

        String status() {
            if (!overdueHours.isEmpty()) {
                return "NOT-COMPACTED";
            }
            return appendGapsBelowInterval > 0 ? "CADENCE" : "ok";
        }
    }

    /** Per hour partition of the table, the time of the first sample in which it was closed. */
    static Map<Long, Long> closedAt(List<Sample> samples, String table, Rules rules) {
        Map<Long, Long> closed = new TreeMap<>();
        for (Sample s : samples) {
            if (s.table().equals(table)) {
                s.filesByHour().keySet().stream().filter(h -> rules.closes(h, s))
                        .forEach(h -> closed.putIfAbsent(h, s.at()));
            }
        }
        return closed;
    }

    static TableFiles compute(String table, List<Sample> all, List<Commit> commits, Rules rules) {
        List<Sample> samples = all.stream().filter(s -> s.table().equals(table)).toList();
        Map<Long, Long> closedAt = closedAt(samples, table, rules);
        Set<Long> overdue = new TreeSet<>();
        Map<Long, Boolean> hadMany = new TreeMap<>();
        int maxClosedAfterDue = 0;
        long maxWait = NONE;
        for (Sample s : samples) {
            for (Map.Entry<Long, Integer> e : s.filesByHour().entrySet()) {
                long hour = e.getKey();
                int files = e.getValue();
                if (closedAt.containsKey(hour) && s.at() >= rules.dueAt(closedAt.get(hour))) {
                    maxClosedAfterDue = Math.max(maxClosedAfterDue, files);
                    if (files > MAX_FILES_PER_CLOSED_HOUR) {
                        overdue.add(hour);
                    }
                }
                if (files > MAX_FILES_PER_CLOSED_HOUR) {
                    hadMany.put(hour, true);
                } else if (hadMany.getOrDefault(hour, false) && closedAt.containsKey(hour)) {
                    maxWait = Math.max(maxWait, s.at() - closedAt.get(hour));
                    hadMany.put(hour, false);
                }
            }
        }
        Sample last = samples.isEmpty() ? null : samples.get(samples.size() - 1);
        Map<Long, Integer> closedLast = new TreeMap<>();
        int pending = 0;
        int openHours = 0;
        int openFiles = 0;
        if (last != null) {
            for (Map.Entry<Long, Integer> e : new TreeMap<>(last.filesByHour()).entrySet()) {
                Long closed = closedAt.get(e.getKey());
                if (closed != null) {
                    closedLast.put(e.getKey(), e.getValue());
                    pending += e.getValue() > MAX_FILES_PER_CLOSED_HOUR && last.at() < rules.dueAt(closed) ? 1 : 0;
                } else {
                    openHours++;
                    openFiles += e.getValue();
                }
            }
        }
        List<Long> appendTimes = commits.stream().filter(c -> DataOperations.APPEND.equals(c.operation()))
                .map(Commit::committedAt).sorted().toList();
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < appendTimes.size(); i++) {
            gaps.add(appendTimes.get(i) - appendTimes.get(i - 1));
        }
        return new TableFiles(table, samples.size(),
                samples.stream().mapToInt(Sample::dataFiles).max().orElse(0),
                last == null ? 0 : last.dataFiles(), last == null ? 0 : last.snapshots(), closedLast, overdue,
                maxClosedAfterDue, pending, openHours, openFiles, maxWait, appendTimes.size(),
                commits.size() - appendTimes.size(), gaps.stream().mapToLong(Long::longValue).min().orElse(NONE),
                IcebergCommitFigures.percentile(gaps, 50),
                (int) gaps.stream().filter(g -> g < rules.commitInterval()).count(), rules.commitInterval());
    }

    static String line(TableFiles f) {
        return String.format(Locale.ROOT, "BENCH-FILES table=%s status=%s samples=%d files_max=%d files_last=%d "
                        + "snapshots_last=%d closed_hours=%d closed_hour_files_last=%s closed_hour_files_max_after_due=%d "
                        + "closed_hours_over_%d=%d pending=%d open_hours=%d open_files=%d closed_to_compacted_max_s=%s "
                        + "appends=%d compactions=%d append_gap_min_s=%s append_gap_median_s=%s "
                        + "append_gaps_below_interval=%d interval_s=%s",
                f.table(), f.status(), f.samples(), f.maxFiles(), f.lastFiles(), f.lastSnapshots(),
                f.closedFilesLast().size(), f.closedFilesLast().values(), f.maxClosedAfterDue(),
                MAX_FILES_PER_CLOSED_HOUR, f.overdueHours().size(), f.pendingHours(), f.openHoursLast(),
                f.openFilesLast(), s(f.maxCompactionWait()), f.appends(), f.replaces(), s(f.minAppendGap()),
                s(f.medianAppendGap()), f.appendGapsBelowInterval(), s(f.intervalMillis()));
    }

    static String markdown(String header, List<TableFiles> tables, List<Sample> samples, Rules rules) {
        StringBuilder b = new StringBuilder(header);
        b.append("| table | status | data files max / last | closed hours: files each at the end | most files in a "
                + "closed hour once compaction was due | open hours (files) at the end | closed → compacted, max (s) "
                + "| appends: gap min / median (s) | compaction commits | snapshots at the end |\n");
        b.append("|---|---|---:|---|---:|---:|---:|---:|---:|---:|\n");
        for (TableFiles f : tables) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %d / %d | %d: %s | %d | %d (%d) | %s | %d: %s / %s | %d "
                            + "| %d |%n", f.table(), f.status(), f.maxFiles(), f.lastFiles(),
                    f.closedFilesLast().size(), f.closedFilesLast().values(), f.maxClosedAfterDue(), f.openHoursLast(),
                    f.openFilesLast(), s(f.maxCompactionWait()), f.appends(), s(f.minAppendGap()),
                    s(f.medianAppendGap()), f.replaces(), f.lastSnapshots()));
        }
        b.append("\nOne sample a minute (the last one before each minute of wall clock since the first); files are the "
                + "data files of the current snapshot, split into closed hours / open hours; the event time is the "
                + "producer's at that moment.\n\n");
        b.append("| minute | event time |");
        tables.forEach(t -> b.append(' ').append(t.table()).append(": files (closed / open) | snapshots |"));
        b.append('\n').append("|---:|---|").append("---:|---:|".repeat(tables.size())).append('\n');
        Map<String, Map<Long, Long>> closedAt = new TreeMap<>();
        tables.forEach(t -> closedAt.put(t.table(), closedAt(samples, t.table(), rules)));
        perMinute(samples, tables.stream().map(TableFiles::table).toList()).forEach((minute, row) -> {
            long at = row.stream().mapToLong(Sample::at).max().orElseThrow();
            b.append("| ").append(minute).append(" | ")
                    .append(Instant.ofEpochMilli(rules.clock().eventAt(at)).toString(), 0, 16).append(" |");
            for (String table : tables.stream().map(TableFiles::table).toList()) {
                Sample s = row.stream().filter(x -> x.table().equals(table)).findFirst().orElse(null);
                if (s == null) {
                    b.append(" – | – |");
                    continue;
                }
                Map<Long, Long> closedHours = closedAt.get(table);
                int closed = s.filesByHour().entrySet().stream()
                        .filter(e -> closedHours.getOrDefault(e.getKey(), Long.MAX_VALUE) <= s.at())
                        .mapToInt(Map.Entry::getValue).sum();
                b.append(String.format(Locale.ROOT, " %d (%d / %d) | %d |", s.dataFiles(), closed,
                        s.dataFiles() - closed, s.snapshots()));
            }
            b.append('\n');
        });
        return b.toString();
    }

    /** Per whole minute since the first sample, the last sample of each table taken up to that minute's end. */
    static Map<Long, List<Sample>> perMinute(List<Sample> samples, List<String> tables) {
        Map<Long, List<Sample>> out = new TreeMap<>();
        if (samples.isEmpty()) {
            return out;
        }
        long first = samples.stream().mapToLong(Sample::at).min().orElseThrow();
        long lastMinute = (samples.stream().mapToLong(Sample::at).max().orElseThrow() - first) / 60_000;
        for (long m = 0; m <= lastMinute; m++) {
            long until = first + (m + 1) * 60_000;
            List<Sample> row = new ArrayList<>();
            for (String table : tables) {
                samples.stream().filter(s -> s.table().equals(table) && s.at() < until)
                        .reduce((a, c) -> c.at() >= a.at() ? c : a).ifPresent(row::add);
            }
            if (!row.isEmpty()) {
                out.put(m + 1, row);
            }
        }
        return out;
    }
}
