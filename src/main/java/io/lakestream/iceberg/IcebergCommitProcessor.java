package io.lakestream.iceberg;

import io.lakestream.config.TableFormatConfig;
import io.lakestream.sink.LandingEvent;
import io.lakestream.window.DrainSignal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the landing events of Iceberg tables in the pending store and, once per commit interval (wall clock),
 * commits each table's pending files as one append. Events of Hive tables are ignored. Pending events are removed
 * only after their commit; if the process dies in between, the restored store replays them and the committer skips
 * what the table's snapshots already cover.
 *
 * <p>The processor tells the {@link DrainSignal} whether landed files are still pending, so that a run ending caught
 * up waits for their commit (at the table's next interval: a drain does not add commits).
 */
final class IcebergCommitProcessor implements Processor<String, String, Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(IcebergCommitProcessor.class);
    /**
     * The most landings one commit takes (the oldest first; the rest wait for the table's next interval). A commit
     * holds the stream thread and its open Kafka transaction: a backlog of hundreds of files (a sink that closes many
     * windows at once after a restart) committed in one go took 14–38 s on a loaded machine, past the transaction's
     * timeout, and the fenced task then did it all again.
     */
    static final int MAX_LANDINGS_PER_COMMIT = 200;

    private final TableFormatConfig formats;
    private final Supplier<IcebergCommitter> committer;
    private final DrainSignal drain;
    private DrainSignal.Tracker tracker;
    private KeyValueStore<String, String> pending;
    private ProcessorContext<Void, Void> context;
    private final Map<String, Long> lastCommit = new java.util.HashMap<>();
    /** Per table this task has committed to, when its last maintenance pass ended. */
    private final Map<String, Long> lastMaintenance = new java.util.HashMap<>();
    private long started;

    private final java.util.function.LongSupplier clock;
    private final int maxLandingsPerCommit;

    /**
     * @param clock                wall-clock millis; the gap between a table's commits is measured with it (the
     *                             punctuation's time is the stream thread's cached time, which can lag by a loop)
     * @param maxLandingsPerCommit the most landings of a table one commit takes ({@link #MAX_LANDINGS_PER_COMMIT})
     */
    IcebergCommitProcessor(TableFormatConfig formats, Supplier<IcebergCommitter> committer, DrainSignal drain,
                           java.util.function.LongSupplier clock, int maxLandingsPerCommit) {
        this.formats = formats;
        this.committer = committer;
        this.drain = drain;
        this.clock = clock;
        this.maxLandingsPerCommit = maxLandingsPerCommit;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        pending = context.getStateStore(IcebergCommitStage.STORE);
        started = clock.getAsLong();
        tracker = drain.track(DrainSignal.Stage.COMMITS);
        tracker.buffering(hasPending());
        // Checked four times per interval; a table is committed when its last commit is an interval old, so a
        // late punctuation never yields two commits of one table within an interval.
        java.time.Duration tick = formats.commitInterval().dividedBy(4);
        context.schedule(tick.toMillis() < 50 ? java.time.Duration.ofMillis(50) : tick,
                PunctuationType.WALL_CLOCK_TIME, this::commitDue);
    }

    @Override
    public void process(Record<String, String> record) {
        if (record.key() == null || formats.iceberg(record.key()) == null || record.value() == null) {
            return;
        }
        RecordMetadata at = context.recordMetadata().orElseThrow();
        pending.put(key(record.key(), at.partition(), at.offset()), record.value());
        tracker.buffering(true);
    }

    @Override
    public void close() {
        if (tracker != null) {
            tracker.close();
        }
    }

    private boolean hasPending() {
        try (KeyValueIterator<String, String> it = pending.all()) {
            return it.hasNext();
        }
    }

    /** Store key: table, landings partition and offset, so the store iterates each table's events in order. */
    static String key(String table, int partition, long offset) {
        return table + '\u0000' + String.format("%05d-%019d", partition, offset);
    }

    private void commitDue(long punctuated) {
        long now = clock.getAsLong();
        tracker.buffering(commitPending(
                table -> now - lastCommit.getOrDefault(table, started) >= formats.commitInterval().toMillis(), now));
        if (formats.maintenance().enabled()) {
            maintainDue(clock.getAsLong());
        }
    }

    /**
     * Runs a maintenance pass over each table this task commits to whose last pass is an interval old (the first one
     * an interval after the task started), between two commit passes: the table's only lakestream writer maintains
     * it, so its own commits never race its compactions. A failed pass is logged and tried again an interval later.
     */
    void maintainDue(long now) {
        for (String table : lastCommit.keySet()) {
            long last = lastMaintenance.getOrDefault(table, started);
            if (now - last < formats.maintenance().interval().toMillis()) {
                continue;
            }
            try {
                committer.get().maintain(table, false, now, pendingFiles(table));
            } catch (IncompatibleSchemaException fatal) {
                throw fatal;
            } catch (RuntimeException e) {
                LOG.warn("iceberg table {}: maintenance pass failed, next in {}: {}", table,
                        formats.maintenance().interval(), e.toString());
            }
            lastMaintenance.put(table, clock.getAsLong());
        }
    }

    /** The files of a table's pending landings (landed, not yet committed). */
    private java.util.Set<String> pendingFiles(String table) {
        java.util.Set<String> files = new java.util.HashSet<>();
        try (KeyValueIterator<String, String> it = pending.range(table + '\u0000', table + '\u0001')) {
            it.forEachRemaining(kv -> files.add(LandingEvent.fromJson(kv.value).uri()));
        }
        return files;
    }

    /** Commits the pending landings of every due table; returns whether landings remain pending afterwards. */
    boolean commitPending(java.util.function.Predicate<String> due, long now) {
        boolean remaining = false;
        Map<String, List<IcebergCommitter.Landing>> byTable = new LinkedHashMap<>();
        Map<String, List<String>> keys = new LinkedHashMap<>();
        try (KeyValueIterator<String, String> it = pending.all()) {
            while (it.hasNext()) {
                KeyValue<String, String> kv = it.next();
                int sep = kv.key.indexOf('\u0000');
                String table = kv.key.substring(0, sep);
                List<String> ofTable = keys.computeIfAbsent(table, t -> new ArrayList<>());
                if (ofTable.size() >= maxLandingsPerCommit) {
                    // In key order: the oldest landings of the table go first; the others wait for the next commit.
                    remaining = true;
                    continue;
                }
                String[] po = kv.key.substring(sep + 1).split("-");
                byTable.computeIfAbsent(table, t -> new ArrayList<>()).add(new IcebergCommitter.Landing(
                        Integer.parseInt(po[0]), Long.parseLong(po[1]), LandingEvent.fromJson(kv.value)));
                ofTable.add(kv.key);
            }
        }
        for (Map.Entry<String, List<IcebergCommitter.Landing>> e : byTable.entrySet()) {
            if (!due.test(e.getKey())) {
                remaining = true;
                continue;
            }
            try {
                if (committer.get().commit(e.getKey(), e.getValue()) > 0) {
                    PausePoint.afterIcebergCommit(e.getKey());
                }
                // Counted from the end of the commit, so snapshots of a table are at least an interval apart.
                lastCommit.put(e.getKey(), clock.getAsLong());
            } catch (IncompatibleSchemaException fatal) {
                throw fatal;
            } catch (RuntimeException transientOrUnknown) {
                // Throttling and concurrent modification are retried inside the commit (AWS SDK, Iceberg's commit
                // retries); what is left is retried at the next interval: the landings stay pending, and a commit
                // that did succeed is recognized then by its landings offsets.
                lastCommit.put(e.getKey(), now);
                LOG.warn("iceberg table {}: commit of {} landings failed, retrying in {}: {}", e.getKey(),
                        e.getValue().size(), formats.commitInterval(), transientOrUnknown.toString());
                remaining = true;
                continue;
            }
            keys.get(e.getKey()).forEach(pending::delete);
        }
        return remaining;
    }
}
