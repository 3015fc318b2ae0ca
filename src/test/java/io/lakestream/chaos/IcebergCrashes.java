package io.lakestream.chaos;

import io.lakestream.config.LakestreamConfig;
import io.lakestream.iceberg.IcebergCatalogs;
import io.lakestream.iceberg.IcebergCommitter;
import io.lakestream.iceberg.IcebergRows;
import io.lakestream.iceberg.OutsideWriter;
import io.lakestream.sink.LandingEvent;
import io.lakestream.aws.S3ObjectStore;
import io.lakestream.testing.CompactionLineage;
import io.lakestream.testing.IcebergLake;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The crashes that matter to an Iceberg table, struck at the chaos rig ({@link ChaosHarness} with Iceberg tables):
 * between a file's landing (committed in Kafka) and its Iceberg commit, and between an Iceberg commit and the Kafka
 * transaction that removes the committed files from the committer's pending store. Every file written right before
 * a crash (these, and the harness's kills mid-flush) must end in its table exactly once.
 */
final class IcebergCrashes {

    /** An Iceberg committer has just appended files to a table (IcebergCommitter). */
    static final Pattern COMMITTED = Pattern.compile("iceberg table \\S+: committed \\d+ files");
    /** A committer found pending landings already in a snapshot (the commit's Kafka side had been lost). */
    static final Pattern FOUND_DONE = Pattern.compile("landings already committed");
    /** A committer held by its test pause point after an Iceberg commit, before the Kafka commit (PausePoint). */
    static final Pattern PAUSED = Pattern.compile("iceberg table (\\S+): test pause point: holding after the Iceberg");
    /** A maintenance pass is about to expire snapshots (IcebergMaintenance). */
    static final Pattern EXPIRING = Pattern.compile("iceberg table \\S+: expiring \\d+ snapshot");
    /** A committer is about to commit a compaction's rewrite (Compactor). */
    static final Pattern COMPACTING = Pattern.compile("iceberg table \\S+: committing compaction of partition");
    /** A committer committed a compaction's rewrite (Compactor). */
    static final Pattern COMPACTED = Pattern.compile("iceberg table \\S+: compacted \\d+ files");
    private static final List<String> TABLES = List.of("claims", "claims_by_account");

    private final ChaosHarness chaos;
    private final List<String> landedNotCommitted = new ArrayList<>();
    private int killsAfterCommit;
    private int foundDoneAfterKill;
    private int killsDuringExpiry;
    private int killsDuringCompaction;

    IcebergCrashes(ChaosHarness chaos) {
        this.chaos = chaos;
    }

    /**
     * {@code kill -9} of every instance once a file's landing is committed in Kafka while its table does not list it
     * yet (commit interval 5 s): the committer's pending store, restored from its changelog, must still commit it.
     * Tried up to three times, as the committer may be quicker than the check.
     */
    void killAllBetweenLandingAndCommit() {
        for (int attempt = 1; attempt <= 3; attempt++) {
            ChaosHarness.Seen wrote = chaos.awaitNewLine(ChaosHarness.WROTE, Duration.ofSeconds(60));
            if (wrote == null) {
                chaos.event("kill between landing and commit: nothing landed within 60 s");
                return;
            }
            String key = ChaosHarness.objectKey(wrote.line());
            String table = wrote.line().replaceAll(".*table (\\S+): wrote .*", "$1");
            if (!awaitLanded(key, Duration.ofSeconds(10))) {
                chaos.event("kill between landing and commit: " + key + " not announced within 10 s; again");
                continue;
            }
            if (committed(table).contains(key)) {
                chaos.event("kill between landing and commit: " + key + " committed before the kill; again");
                continue;
            }
            chaos.apps().forEach(AppProcess::kill);
            landedNotCommitted.add(key);
            chaos.event("kill -9 of every instance: " + key + " landed in Kafka, not yet in table " + table);
            ChaosHarness.sleep(500 + chaos.random().nextInt(2000));
            chaos.apps().forEach(app -> app.start());
            chaos.awaitReady();
            chaos.event("restarted every instance");
            return;
        }
    }

    /**
     * {@code kill -9} of the instance whose committer has just appended files to a table, held by the committer's test
     * pause point ({@code iceberg.PausePoint}, armed by creating its file) after the Iceberg commit and before the
     * Kafka transaction that removes those files from its pending store: that transaction never commits. The new
     * owner of the committer task restores the pending landings and must find them in the table (its log line
     * {@link #FOUND_DONE} for that table, awaited here) instead of appending them twice; the verdict then checks that
     * no file is listed twice and no offset is read twice.
     */
    void killAfterCommit() {
        Path marker = AppProcess.pauseMarker(chaos.workDir());
        write(marker);
        ChaosHarness.Seen seen = chaos.awaitNewLine(PAUSED, Duration.ofSeconds(60));
        if (seen == null) {
            delete(marker);
            chaos.event("kill right after an Iceberg commit: no committer held within 60 s; nothing killed");
            return;
        }
        Matcher held = PAUSED.matcher(seen.line());
        String table = held.find() ? held.group(1) : "?";
        // The held commit's landings offsets (its log line comes right before the hold): the new owner must skip
        // exactly those, not merely some landings a rebalance left pending.
        String offsets = lastCommittedOffsets(seen.app(), table);
        Pattern foundDone = Pattern.compile("iceberg table \\S+\\." + Pattern.quote(table) + ": .*" + FOUND_DONE
                .pattern() + " up to landings offsets " + Pattern.quote(offsets) + "[;,]");
        long before = chaos.count(foundDone);
        seen.app().kill();
        killsAfterCommit++;
        chaos.event("kill -9 " + seen.app().name() + " held right after its Iceberg commit to table " + table
                + " (landings offsets " + offsets + "), before its Kafka commit");
        ChaosHarness.sleep(500 + chaos.random().nextInt(2500));
        seen.app().start();
        chaos.awaitReady();
        chaos.event("restarted " + seen.app().name() + " pid " + seen.app().pid());
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (chaos.count(foundDone) == before && System.nanoTime() < deadline) {
            ChaosHarness.sleep(250);
        }
        if (chaos.count(foundDone) > before) {
            foundDoneAfterKill++;
            chaos.event("the committer of table " + table + " found the held commit done");
        } else {
            chaos.event("the committer of table " + table + " did not report the held commit found done in 180 s");
        }
    }

    /**
     * {@code kill -9} of the instance that announces a snapshot expiry (maintenance every 10 s, keeping 5 snapshots:
     * nearly every pass expires some), while the expiry's metadata commit and file deletes are under way: no file
     * a remaining snapshot lists may be deleted ({@link #verifySnapshotFiles}).
     */
    void killDuringExpiry() {
        if (strike(EXPIRING, Duration.ofSeconds(120), false, "during a snapshot expiry")) {
            killsDuringExpiry++;
        }
    }

    /**
     * {@code kill -9} of the instance that announces a compaction's rewrite commit, while the commit is under way
     * (maintenance every 10 s compacts an hour once its windows are closed: at speed 10 the first hour closes about
     * 90 s after the feed starts). Whether the rewrite landed or not, the table must read every offset once, and
     * the next pass must compact again or find it compacted.
     */
    void killDuringCompaction() {
        if (strike(COMPACTING, Duration.ofSeconds(300), false, "during its compaction commit")) {
            killsDuringCompaction++;
        }
    }

    /**
     * {@code kill -9} (after SIGSTOP if {@code stopFirst}) of the instance that prints a line matching
     * {@code pattern} within {@code timeout}, then its restart; false if no instance printed one.
     */
    private boolean strike(Pattern pattern, Duration timeout, boolean stopFirst, String when) {
        ChaosHarness.Seen seen = chaos.awaitNewLine(pattern, timeout);
        if (seen == null) {
            chaos.event("kill " + when + ": no such line within " + timeout.toSeconds() + " s; nothing killed");
            return false;
        }
        if (stopFirst) {
            seen.app().pause();
        }
        seen.app().kill();
        chaos.event((stopFirst ? "SIGSTOP then " : "") + "kill -9 " + seen.app().name() + " " + when + ": "
                + seen.line().replaceAll(".*(iceberg table .*)", "$1"));
        ChaosHarness.sleep(500 + chaos.random().nextInt(2500));
        seen.app().start();
        chaos.awaitReady();
        chaos.event("restarted " + seen.app().name() + " pid " + seen.app().pid());
        return true;
    }

    int killsDuringCompaction() {
        return killsDuringCompaction;
    }

    int killsAfterCommit() {
        return killsAfterCommit;
    }

    /** Kills after an Iceberg commit whose pending landings the restarted committer then found committed. */
    int foundDoneAfterKill() {
        return foundDoneAfterKill;
    }

    int killsDuringExpiry() {
        return killsDuringExpiry;
    }

    int killsBetweenLandingAndCommit() {
        return landedNotCommitted.size();
    }

    /**
     * After the final run: each file written right before a crash is read exactly once through its table's current
     * snapshot: listed by it, or named as replaced in the footer of one compacted file it lists; returns the problems
     * found.
     */
    List<String> verifyStruckFiles() {
        List<String> problems = new ArrayList<>();
        List<String> committed = new ArrayList<>();
        TABLES.forEach(t -> committed.addAll(committed(t)));
        CompactionLineage.replacedFiles(S3ObjectStore.from(chaos.config().lake()), committed).values()
                .forEach(committed::addAll);
        List<String> struck = new ArrayList<>(chaos.struckObjects());
        struck.addAll(landedNotCommitted);
        for (String key : struck) {
            long times = committed.stream().filter(key::equals).count();
            if (times != 1) {
                problems.add(key + " (written right before a crash) is in its table's snapshot " + times + " time(s)");
            }
        }
        return problems;
    }

    /**
     * Every data file that any snapshot of each table still lists exists (expiry, killed or not, deletes only files
     * no remaining snapshot lists); returns the problems found.
     */
    List<String> verifySnapshotFiles() {
        List<String> problems = new ArrayList<>();
        withCatalog(catalog -> {
            for (String name : TABLES) {
                Table t = catalog.catalog().loadTable(TableIdentifier.of(ChaosHarness.DATABASE, name));
                java.util.Set<String> listed = new java.util.TreeSet<>();
                for (org.apache.iceberg.Snapshot snapshot : t.snapshots()) {
                    try (var tasks = t.newScan().useSnapshot(snapshot.snapshotId()).planFiles()) {
                        tasks.forEach(task -> listed.add(task.file().location()));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                listed.stream().filter(f -> !t.io().newInputFile(f).exists()).forEach(f -> problems.add(
                        name + ": " + f + " is listed by a snapshot but deleted"));
            }
        });
        return problems;
    }

    /**
     * After the run, on the same Glue catalog: another writer (the Iceberg API) rewrites a file of the claims table's
     * last hour and appends a file of its own, then expires every snapshot but its own last one, so no snapshot
     * lakestream wrote is left; then the committer lakestream runs replays the last 20 landings at their offsets,
     * and every landing whose file compaction replaced at new offsets. Nothing may be committed: no new snapshot, no
     * file listed twice, every row of the table once (lakestream's and the other writer's). Returns the problems.
     */
    List<String> outsideWriterThenExpiryThenReplay() {
        List<String> problems = new ArrayList<>();
        LakestreamConfig config = chaos.config();
        List<IcebergCommitter.Landing> landings = OutsideWriter.landings(chaos.bootstrapServers(),
                config.landingsTopic(), "claims");
        withCatalog(catalog -> {
            TableIdentifier id = TableIdentifier.of(ChaosHarness.DATABASE, "claims");
            Table table = catalog.catalog().loadTable(id);
            int rowsBefore = IcebergRows.rows(table).size();
            List<String> filesBefore = IcebergRows.files(table);
            String lastHour = filesBefore.stream().map(f -> f.replaceAll(".*/(claim_ts_hour=[^/]+)/.*", "$1"))
                    .max(String::compareTo).orElseThrow();
            java.util.Set<String> foreign = OutsideWriter.rewriteAppendAndExpireTheRest(table,
                    partition -> partition.equals(lastHour));
            Table expired = catalog.catalog().loadTable(id);
            int snapshots = OutsideWriter.snapshots(expired);
            if (snapshots != 1 || expired.currentSnapshot().summary().containsKey(IcebergCommitter.LANDINGS_OFFSETS)) {
                problems.add("after the other writer's expiry: " + snapshots + " snapshot(s), current one "
                        + expired.currentSnapshot().summary());
            }
            IcebergCommitter replay = OutsideWriter.committer(catalog, config, ChaosHarness.DATABASE);
            int replayed = replay.commit("claims", landings.subList(Math.max(0, landings.size() - 20),
                    landings.size()));
            List<IcebergCommitter.Landing> again = new ArrayList<>();
            long next = landings.stream().mapToLong(IcebergCommitter.Landing::offset).max().orElse(0) + 1;
            for (IcebergCommitter.Landing l : landings) {
                if (!filesBefore.contains(l.event().uri())) {
                    again.add(new IcebergCommitter.Landing(l.partition(), next++, l.event()));
                }
            }
            int announcedAgain = replay.commit("claims", again);
            Table end = catalog.catalog().loadTable(id);
            List<String> files = IcebergRows.files(end);
            List<String> rows = IcebergRows.rows(end).stream().map(r -> r.getField("_source_partition") + ":"
                    + r.getField("_source_offset")).toList();
            if (replayed != 0 || again.isEmpty() || announcedAgain != 0) {
                problems.add("the replay of the last 20 landings committed " + replayed + " file(s), of " + again.size()
                        + " replaced files announced again " + announcedAgain);
            }
            if (OutsideWriter.snapshots(end) != snapshots) {
                problems.add("the replay added " + (OutsideWriter.snapshots(end) - snapshots) + " snapshot(s)");
            }
            if (files.size() != new java.util.HashSet<>(files).size()) {
                problems.add("a data file is listed twice after the replay");
            }
            if (rows.size() != new java.util.HashSet<>(rows).size() || rows.size() != rowsBefore + foreign.size()) {
                problems.add("after the replay the table reads " + rows.size() + " rows (" + new java.util.HashSet<>(
                        rows).size() + " distinct offsets), expected " + rowsBefore + " + " + foreign.size());
            }
        });
        problems.addAll(verifySnapshotFiles());
        chaos.event("other writer, expiry of every lakestream snapshot, replay: " + (problems.isEmpty()
                ? "nothing committed twice" : problems));
        return problems;
    }

    /** One line per table: its snapshots and the data files of its current snapshot. */
    String describeTables() {
        List<String> out = new ArrayList<>();
        withCatalog(catalog -> {
            for (String name : TABLES) {
                Table t = catalog.catalog().loadTable(TableIdentifier.of(ChaosHarness.DATABASE, name));
                int snapshots = 0;
                for (var ignored : t.snapshots()) {
                    snapshots++;
                }
                List<String> files = IcebergRows.files(t);
                long compacted = files.stream().filter(f -> f.substring(f.lastIndexOf('/') + 1)
                        .startsWith("compacted-")).count();
                out.add(name + "-snapshots=" + snapshots + " " + name + "-files=" + files.size() + " " + name
                        + "-compacted-files=" + compacted);
            }
        });
        return String.join(" ", out);
    }

    /** Object keys of the data files the table's current snapshot lists (none if the table does not exist yet). */
    private List<String> committed(String table) {
        List<String> keys = new ArrayList<>();
        withCatalog(catalog -> {
            TableIdentifier id = TableIdentifier.of(ChaosHarness.DATABASE, table);
            if (catalog.catalog().tableExists(id)) {
                IcebergRows.files(catalog.catalog().loadTable(id))
                        .forEach(f -> keys.add(IcebergLake.key(f)));
            }
        });
        return keys;
    }

    private void withCatalog(java.util.function.Consumer<IcebergCatalogs.Opened> action) {
        try (IcebergCatalogs.Opened catalog = IcebergCatalogs.open(chaos.config())) {
            action.accept(catalog);
        } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    /** Whether a committed landing event announces {@code key} within the timeout (read_committed). */
    private boolean awaitLanded(String key, Duration timeout) {
        LakestreamConfig config = chaos.config();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, chaos.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(config.landingsTopic()).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() != null && LandingEvent.fromJson(r.value()).objectKey().equals(key)) {
                        return true;
                    }
                }
            }
            return false;
        } catch (RuntimeException e) {
            chaos.event("cannot read " + config.landingsTopic() + ": " + e);
            return false;
        }
    }

    /** The landings offsets of the last commit to {@code table} that {@code app} logged. */
    private static String lastCommittedOffsets(AppProcess app, String table) {
        Pattern committed = Pattern.compile("iceberg table \\S+\\." + Pattern.quote(table)
                + ": committed \\d+ files .* landings offsets (\\S+)");
        String offsets = "?";
        try {
            for (String line : Files.readAllLines(app.logFile(), java.nio.charset.StandardCharsets.UTF_8)) {
                Matcher m = committed.matcher(line);
                if (m.find()) {
                    offsets = m.group(1);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return offsets;
    }

    private static void write(Path file) {
        try {
            Files.writeString(file, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How often a committer found pending landings already in a snapshot. */
    long foundDone() {
        return chaos.count(FOUND_DONE);
    }

}
