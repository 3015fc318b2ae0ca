package io.lakestream.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of one Iceberg table over a live run, computed from its snapshots alone: how often it was committed
 * (snapshots in the steady state, commits per minute, the gaps between consecutive snapshots, which the one-committer
 * rule keeps at or above the commit interval) and how fresh it was (per event window: the commit time of the snapshot
 * that made the last of the window's files visible, minus window end + grace). Pure: the catalog is read elsewhere
 * ({@link IcebergSnapshots}).
 */
final class IcebergCommitFigures {

    /** "No value" of a figure in milliseconds (no gap, no window, write time unknown); real values may be negative. */
    static final long NONE = Long.MIN_VALUE;

    private IcebergCommitFigures() {
    }

    /**
     * A data file a snapshot added.
     *
     * @param windowStart start of the event window the file belongs to, epoch millis
     * @param writtenAt   when the object was written (the store's last-modified time), or {@link #NONE}
     */
    record AddedFile(String location, long windowStart, long writtenAt) {
    }

    /** A snapshot: its commit time (Iceberg's {@code timestamp-ms}) and the files it added. */
    record SnapshotInfo(long snapshotId, long committedAt, List<AddedFile> added) {
        SnapshotInfo {
            added = List.copyOf(added);
        }
    }

    /**
     * One event window of a table.
     *
     * @param deadline  window end + grace: the earliest moment its rows can be final (wall clock)
     * @param visibleAt commit time of the snapshot that added the window's last file
     * @param writtenAt when the window's last file was written, or {@link #NONE}
     */
    record WindowFreshness(long windowStart, long deadline, int files, long visibleAt, long writtenAt) {

        long freshness() {
            return visibleAt - deadline;
        }

        /** From window end + grace until its last file was written. */
        long closeDelay() {
            return writtenAt == NONE ? NONE : writtenAt - deadline;
        }

        /** From the last file written until a snapshot held it: the committer's batching. */
        long commitWait() {
            return writtenAt == NONE ? NONE : visibleAt - writtenAt;
        }
    }

    /**
     * The steady state, {@code from} the end of the warm-up {@code to} the producer's stop: snapshots committed in
     * [{@code from}, {@code to}); windows whose deadline is at or after {@code from} and at least two windows and a
     * grace before {@code to}. A window closes when later input arrives (for an aggregates table: the results of a
     * window closed after it), so the last windows before the stop wait for the idle timeout instead: wind-down,
     * not steady state.
     */
    record Period(long from, long to) {
        double minutes() {
            return (to - from) / 60_000.0;
        }
    }

    /** The figures of one table; times in milliseconds. */
    record TableFigures(String table, int snapshots, int steadySnapshots, double commitsPerMinute, long minGap,
                        long medianGap, long minGapAnyTime, int gapsBelowInterval, long intervalMillis,
                        List<WindowFreshness> steadyWindows) {

        boolean violation() {
            return gapsBelowInterval > 0;
        }

        long freshnessPercentile(double p) {
            return percentile(steadyWindows.stream().map(WindowFreshness::freshness).toList(), p);
        }

        long closeDelayPercentile(double p) {
            return percentile(steadyWindows.stream().filter(w -> w.writtenAt() != NONE)
                    .map(WindowFreshness::closeDelay).toList(), p);
        }

        long commitWaitPercentile(double p) {
            return percentile(steadyWindows.stream().filter(w -> w.writtenAt() != NONE)
                    .map(WindowFreshness::commitWait).toList(), p);
        }
    }

    static TableFigures compute(String table, List<SnapshotInfo> snapshots, long windowMillis, long graceMillis,
                                long intervalMillis, Period steady) {
        return compute(table, snapshots, windowMillis, graceMillis, intervalMillis, steady,
                new EventClock(steady.to(), 1));
    }

    /**
     * As above with event time running faster than the wall clock: a window's deadline (window end + grace, event
     * time) is the wall-clock moment {@code clock} reaches it, so freshness stays a wall-clock figure.
     */
    static TableFigures compute(String table, List<SnapshotInfo> snapshots, long windowMillis, long graceMillis,
                                long intervalMillis, Period steady, EventClock clock) {
        List<SnapshotInfo> ordered = snapshots.stream().sorted(Comparator.comparingLong(SnapshotInfo::committedAt))
                .toList();
        List<Long> steadyGaps = new ArrayList<>();
        long minAnyTime = NONE;
        int below = 0;
        for (int i = 1; i < ordered.size(); i++) {
            long gap = ordered.get(i).committedAt() - ordered.get(i - 1).committedAt();
            minAnyTime = minAnyTime == NONE ? gap : Math.min(minAnyTime, gap);
            // Any gap below the interval is a violation, warm-up or not: the rule holds from the first commit.
            if (gap < intervalMillis) {
                below++;
            }
            if (inside(ordered.get(i - 1).committedAt(), steady) && inside(ordered.get(i).committedAt(), steady)) {
                steadyGaps.add(gap);
            }
        }
        int steadyCount = (int) ordered.stream().filter(s -> inside(s.committedAt(), steady)).count();
        long lastDeadline = clock.wallAt(clock.eventAt(steady.to()) - 2 * windowMillis - graceMillis);
        List<WindowFreshness> windows = windows(ordered, windowMillis, graceMillis, clock).stream()
                .filter(w -> w.deadline() >= steady.from() && w.deadline() <= lastDeadline)
                .toList();
        return new TableFigures(table, ordered.size(), steadyCount, steadyCount / steady.minutes(),
                steadyGaps.stream().mapToLong(Long::longValue).min().orElse(NONE),
                percentile(steadyGaps, 50), minAnyTime, below, intervalMillis, windows);
    }

    /**
     * Every event window of the table: a file counts from the first snapshot that added it (a file added twice would
     * be a defect of the committer, not a later visibility); a window is visible once its last file is.
     */
    static List<WindowFreshness> windows(List<SnapshotInfo> snapshots, long windowMillis, long graceMillis) {
        return windows(snapshots, windowMillis, graceMillis, new EventClock(0, 1));
    }

    private static List<WindowFreshness> windows(List<SnapshotInfo> snapshots, long windowMillis, long graceMillis,
                                                 EventClock clock) {
        Map<String, Long> firstSeen = new HashMap<>();
        Map<String, AddedFile> files = new HashMap<>();
        for (SnapshotInfo s : snapshots.stream().sorted(Comparator.comparingLong(SnapshotInfo::committedAt)).toList()) {
            for (AddedFile f : s.added()) {
                if (firstSeen.putIfAbsent(f.location(), s.committedAt()) == null) {
                    files.put(f.location(), f);
                }
            }
        }
        Map<Long, List<AddedFile>> byWindow = new TreeMap<>();
        files.values().forEach(f -> byWindow.computeIfAbsent(f.windowStart(), w -> new ArrayList<>()).add(f));
        List<WindowFreshness> out = new ArrayList<>();
        byWindow.forEach((start, list) -> {
            long visible = list.stream().mapToLong(f -> firstSeen.get(f.location())).max().orElseThrow();
            boolean allKnown = list.stream().allMatch(f -> f.writtenAt() != NONE);
            long written = allKnown ? list.stream().mapToLong(AddedFile::writtenAt).max().orElseThrow() : NONE;
            out.add(new WindowFreshness(start, clock.wallAt(start + windowMillis + graceMillis), list.size(), visible,
                    written));
        });
        return out;
    }

    /** Nearest-rank percentile (p in 0..100) of the values; {@link #NONE} for none. */
    static long percentile(List<Long> values, double p) {
        if (values.isEmpty()) {
            return NONE;
        }
        List<Long> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private static boolean inside(long t, Period period) {
        return t >= period.from() && t < period.to();
    }
}
