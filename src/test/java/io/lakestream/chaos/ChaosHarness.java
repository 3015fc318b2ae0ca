package io.lakestream.chaos;

import io.lakestream.aws.S3ObjectStore;
import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.demo.SampleClaims.Claim;
import io.lakestream.iceberg.IcebergCatalogs;
import io.lakestream.port.ObjectStore;
import io.lakestream.testing.ExternalKafka;
import io.lakestream.testing.LakeVerifier;
import io.lakestream.testing.MotoServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chaos rig: a Kafka broker as its own process ({@link ExternalKafka}), moto_server as S3 + Glue Data Catalog +
 * Glue Schema Registry, two lakestream instances as separate JVMs sharing one application id (each with its own
 * state folder), and a {@link ClaimsFeed} producing continuously. Scenarios strike the running system; between
 * them {@link #supervise()} restarts an instance that died on its own (as ECS or systemd would) and records it.
 * {@link #finish()} stops the input, stops the instances and lets one instance run {@code --until-caught-up}, after
 * which {@link #verify} judges the whole lake.
 *
 * <p>Windows: landing window 10 s with 5 s grace, so flushes are frequent; idle timeout 10 min, so no window closes
 * early during a pause or a broker restart and no record becomes late (the aggregates can then be compared with an
 * exact reference). Event time runs {@code speed} times faster than the wall clock.
 */
final class ChaosHarness implements AutoCloseable {

    static final String RAW = "onprem.claims.raw";
    static final String APP_ID = "chaos-claims";
    static final String BUCKET = "chaos-lake";
    static final String DATABASE = "chaos_lake";
    static final Duration AGGREGATE_WINDOW = Duration.ofSeconds(20);
    private static final Logger log = LoggerFactory.getLogger(ChaosHarness.class);
    /** The sink's INFO line per landed object (WindowFlusher): the instance is in the middle of a flush. */
    static final Pattern WROTE = Pattern.compile("table \\S+: wrote lakestream/");
    /** The sink found earlier work (replay, previous owner or zombie) and did not write it again. */
    static final Pattern DEDUPLICATED = Pattern.compile("already holds offsets|exists \\(offsets up to");
    /** A sink task started with open windows and rebuilt them by re-reading its input (WindowSinkProcessor). */
    static final Pattern REPLAYED = Pattern.compile("rebuilt \\d+ open window\\(s\\) from [1-9]\\d* replayed record");
    private static final Pattern OBJECT_KEY = Pattern.compile(": wrote (lakestream/\\S+)");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);

    /**
     * @param rate    records per second produced
     * @param speed   event-time seconds per wall-clock second
     * @param iceberg land Iceberg tables in the Glue Data Catalog (commit interval 5 s) instead of Hive-style tables
     */
    record Options(int cycles, int rate, int speed, long seed, Path workDir, boolean iceberg) {
    }

    private final Options options;
    private final Random random;
    private final List<String> timeline = new ArrayList<>();
    private final List<String> unexpectedExits = new ArrayList<>();
    private final List<AppProcess> apps = new ArrayList<>();
    private final List<String> struckObjects = new ArrayList<>();
    private MotoServer moto;
    private ExternalKafka kafka;
    private ClaimsFeed feed;
    private AppProcess finalRun;
    private int killsMidFlush;
    private int brokerKills;
    private int fencedPauses;
    private boolean keepBrokerData;
    private final Instant started = Instant.now();

    ChaosHarness(Options options) {
        this.options = options;
        this.random = new Random(options.seed());
        try {
            Files.createDirectories(options.workDir());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void start() {
        moto = MotoServer.start();
        moto.clients().s3().createBucket(b -> b.bucket(BUCKET));
        // Broker housekeeping (retention checks) every few seconds instead of every 5 minutes: over hours a real
        // broker's check meets every lag an instance restart causes; a short run needs it often to meet them.
        kafka = new ExternalKafka(Map.of("log.retention.check.interval.ms", "3000",
                "log.initial.task.delay.ms", "1000"), "512m").start();
        kafka.createTopic(RAW, 3);
        for (String name : List.of("a", "b")) {
            apps.add(new AppProcess(name, writeConfig(name), options.workDir()));
        }
        // One after the other: both would otherwise race to provision the same topics and register the schema.
        apps.get(0).start();
        awaitReady(apps.subList(0, 1));
        apps.get(1).start();
        feed = new ClaimsFeed(kafka.bootstrapServers(), RAW, options.rate(),
                Duration.ofSeconds(300 + 150L * options.cycles()), options.speed(), options.seed()).start();
        awaitReady(apps);
        event("started: broker pid " + kafka.pid() + ", instances " + apps.stream().map(a -> a.name() + " pid "
                + a.pid()).toList());
    }

    /** (a) {@code kill -9} of the instance that has just landed an object (mid-flush), then a restart. */
    void killMidFlush() {
        AppProcess victim = awaitFlushingInstance(Duration.ofSeconds(60));
        if (victim == null) {
            event("kill mid-flush: no instance landed an object within 60 s; nothing killed");
            return;
        }
        // The first kill strikes at once, before the flush's transaction can commit (commit interval 500 ms): the
        // replay then meets the object it already wrote, so every run goes through the object-already-exists path.
        int delay = killsMidFlush == 0 ? 0 : List.of(0, 0, 30, 120, 400).get(random.nextInt(5));
        sleep(delay);
        victim.kill();
        killsMidFlush++;
        event("kill -9 " + victim.name() + " " + delay + " ms after it landed an object");
        sleep(500 + random.nextInt(2500));
        victim.start();
        awaitReady(apps);
        event("restarted " + victim.name() + " pid " + victim.pid());
    }

    /**
     * (b) SIGSTOP of an instance mid-flush until the group has fenced it out (its member is gone), then SIGCONT:
     * a zombie that resumes its flush and may still upload.
     */
    void pauseUntilFenced() {
        AppProcess victim = awaitFlushingInstance(Duration.ofSeconds(60));
        if (victim == null) {
            event("pause: no instance landed an object within 60 s; nothing paused");
            return;
        }
        int before = groupMembers();
        victim.pause();
        event("SIGSTOP " + victim.name() + " mid-flush (group had " + before + " member(s))");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int members = before;
        while (members >= before && System.nanoTime() < deadline) {
            sleep(500);
            members = groupMembers();
        }
        if (members < before) {
            fencedPauses++;
            // Give the survivor time to take the tasks over (and perhaps land the same windows) before the zombie
            // wakes up.
            sleep(SESSION_TIMEOUT.toMillis() / 2 + random.nextInt(3000));
            event("group fenced " + victim.name() + " out (" + members + " member(s) left)");
        } else {
            event("group still had " + members + " member(s) after 60 s of SIGSTOP");
        }
        victim.resume();
        event("SIGCONT " + victim.name());
        awaitReady(apps);
    }

    /** (c) The broker stopped (SIGTERM, controlled shutdown) and started again on the same data while apps run. */
    void restartBroker() {
        sleep(1000 + random.nextInt(3000));
        kafka.stop();
        event("broker stopped");
        sleep(1000 + random.nextInt(4000));
        kafka.start();
        event("broker started pid " + kafka.pid());
        awaitReady(apps);
    }

    /** (d) {@code kill -9} of the broker while the apps run, then a start on the same data (log recovery). */
    void killBroker() {
        sleep(1000 + random.nextInt(3000));
        kafka.kill();
        brokerKills++;
        event("broker killed (kill -9)");
        sleep(1000 + random.nextInt(4000));
        kafka.start();
        event("broker started pid " + kafka.pid() + " after kill -9");
        awaitReady(apps);
    }

    int brokerKills() {
        return brokerKills;
    }

    /** Restarts any instance that exited without being told to, and records it. */
    void supervise() {
        for (AppProcess app : apps) {
            if (!app.isAlive()) {
                String why = app.name() + " exited on its own with code " + app.exitCode();
                unexpectedExits.add(why);
                event(why + "; its output ends:\n" + app.tail(30));
                app.start();
            }
        }
        awaitReady(apps);
    }

    /**
     * Stops the input, stops both instances (SIGTERM) and runs one instance with {@code --until-caught-up}, which
     * lands every open window. Returns every source record by "partition:offset".
     */
    Map<String, Claim> finish() {
        feed.close();
        event("feed stopped: " + feed.sent() + " sent, " + feed.failedSends() + " failed");
        for (AppProcess app : apps) {
            event("SIGTERM " + app.name() + ": exit " + app.stop());
        }
        finalRun = new AppProcess("final", options.workDir().resolve("config-a.yaml"), options.workDir());
        // A bound on liveness, not on speed: on a quiet machine the run takes well under a minute, on one shared by
        // other builds (load 20-30 on 2 cores) it took more than five.
        finalRun.start("--until-caught-up", "--timeout", "15m");
        if (!finalRun.waitForExit(Duration.ofMinutes(16)) || finalRun.exitCode() != 0) {
            throw new IllegalStateException("the --until-caught-up run did not exit 0 (exit " + finalRun.exitCode()
                    + "); its output ends:\n" + finalRun.tail(60));
        }
        event("--until-caught-up run exited 0");
        return feed.readBack();
    }

    /** Lines of the {@code --until-caught-up} run's output that match {@code pattern}. */
    long finalRunCount(Pattern pattern) {
        return finalRun == null ? 0 : finalRun.count(pattern);
    }

    LakeVerifier.Verdict verify(Map<String, Claim> expected) {
        LakestreamConfig config = ConfigLoader.load(options.workDir().resolve("config-a.yaml"));
        ObjectStore store = S3ObjectStore.from(config.lake());
        if (!options.iceberg()) {
            return LakeVerifier.verify(lake(store, null), expected);
        }
        try (IcebergCatalogs.Opened catalog = IcebergCatalogs.open(config)) {
            return LakeVerifier.verify(lake(store, catalog.catalog()), expected);
        } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    private LakeVerifier.Lake lake(ObjectStore store, org.apache.iceberg.catalog.Catalog iceberg) {
        return new LakeVerifier.Lake(store, "lakestream/", "claims", "claims_by_account", AGGREGATE_WINDOW,
                kafka.bootstrapServers(), RAW, "claims.dlq", "claims.claims_by_account", moto.clients().glue(),
                DATABASE, iceberg, config().landingsTopic(), config().tableFormats().maintenance().orphanAge());
    }

    List<AppProcess> apps() {
        return apps;
    }

    Path workDir() {
        return options.workDir();
    }

    /**
     * Moves the feed's event time on to 30 s past the next full hour: every window of the current hour closes at
     * once (event time is data), so an hour partition is compacted without waiting for the wall clock.
     */
    void leapToNextHour() {
        feed.leapToNextHour();
        event("feed: event time leaps to the next hour");
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    LakestreamConfig config() {
        return ConfigLoader.load(options.workDir().resolve("config-a.yaml"));
    }

    Random random() {
        return random;
    }

    /** Waits until every instance reports RUNNING (or one died: {@link #supervise()} handles that). */
    void awaitReady() {
        awaitReady(apps);
    }

    int killsMidFlush() {
        return killsMidFlush;
    }

    int fencedPauses() {
        return fencedPauses;
    }

    List<String> unexpectedExits() {
        return List.copyOf(unexpectedExits);
    }

    /** How often an instance found an object already landed for offsets it was about to write. */
    long deduplications() {
        return count(DEDUPLICATED);
    }

    /** How often a sink task rebuilt open windows from replayed input records. */
    long replays() {
        return count(REPLAYED);
    }

    /** Lines matching {@code pattern} in the output of every instance, the final run included. */
    long count(Pattern pattern) {
        long n = apps.stream().mapToLong(a -> a.count(pattern)).sum();
        return n + (finalRun == null ? 0 : finalRun.count(pattern));
    }

    List<String> timeline() {
        return List.copyOf(timeline);
    }

    /** The tail of every process's output, for a failure report. */
    String tails() {
        StringBuilder out = new StringBuilder();
        List<AppProcess> all = new ArrayList<>(apps);
        if (finalRun != null) {
            all.add(finalRun);
        }
        for (AppProcess app : all) {
            out.append("\n----- ").append(app.logFile()).append(" -----\n").append(app.tail(40));
        }
        if (kafka != null) {
            out.append("\n----- broker log: ").append(kafka.logFile()).append(" -----");
        }
        return out.toString();
    }

    /**
     * After a failure: writes every object key with its metadata to {@code s3-objects.txt} and keeps the broker's
     * log folder (closing then kills the broker without deleting it), so offsets can be inspected afterwards.
     */
    void keepEvidence() {
        keepBrokerData = true;
        try {
            ObjectStore store = S3ObjectStore.from(ConfigLoader.load(options.workDir().resolve("config-a.yaml"))
                    .lake());
            List<String> lines = new ArrayList<>();
            for (String key : store.list("lakestream/")) {
                lines.add(key + " " + new java.util.TreeMap<>(store.metadata(key).orElse(Map.of())));
            }
            Files.write(options.workDir().resolve("s3-objects.txt"), lines);
        } catch (RuntimeException | IOException e) {
            log.warn("chaos: could not list the lake for evidence", e);
        }
        if (kafka != null) {
            log.warn("chaos: keeping the broker's data in {}", kafka.logFile().getParent());
        }
    }

    @Override
    public void close() {
        List<AutoCloseable> all = new ArrayList<>(apps);
        all.add(finalRun);
        all.add(feed);
        all.add(keepBrokerData && kafka != null ? kafka::kill : kafka);
        all.add(moto);
        for (AutoCloseable c : all) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                log.warn("chaos: closing {} failed", c, e);
            }
        }
    }

    private AppProcess awaitFlushingInstance(Duration timeout) {
        Seen seen = awaitNewLine(WROTE, timeout);
        if (seen == null) {
            return null;
        }
        String key = objectKey(seen.line());
        if (key != null) {
            struckObjects.add(key);
        }
        return seen.app();
    }

    /** The object key in a sink's {@link #WROTE} line, or null. */
    static String objectKey(String wroteLine) {
        Matcher m = OBJECT_KEY.matcher(wroteLine);
        return m.find() ? m.group(1) : null;
    }

    /** A line an instance printed, and the instance. */
    record Seen(AppProcess app, String line) {
    }

    /** The first line matching {@code pattern} that any instance prints from now on, or null after the timeout. */
    Seen awaitNewLine(Pattern pattern, Duration timeout) {
        apps.forEach(AppProcess::skipToEnd);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (AppProcess app : apps) {
                String line = app.awaitLine(pattern, Duration.ofMillis(10));
                if (line != null) {
                    return new Seen(app, line);
                }
            }
        }
        return null;
    }

    /** Keys of the objects whose writer was killed or paused right after writing them (a crash mid-flush). */
    List<String> struckObjects() {
        return List.copyOf(struckObjects);
    }

    private void awaitReady(List<AppProcess> which) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!which.stream().allMatch(AppProcess::ready)) {
            for (AppProcess app : which) {
                if (!app.isAlive()) {
                    return; // supervise() records and restarts it
                }
            }
            if (System.nanoTime() > deadline) {
                event("instances not all RUNNING after " + READY_TIMEOUT + "; carrying on");
                return;
            }
            sleep(250);
        }
    }

    private int groupMembers() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        try (Admin admin = Admin.create(p)) {
            return admin.describeConsumerGroups(List.of(APP_ID)).all().get(5, TimeUnit.SECONDS).get(APP_ID)
                    .members().size();
        } catch (Exception e) {
            log.warn("chaos: cannot describe group {}: {}", APP_ID, e.toString());
            return Integer.MAX_VALUE;
        }
    }

    private Path writeConfig(String instance) {
        String endpoint = moto.endpoint().toString();
        String yaml = CONFIG
                .replace("@STATE@", options.workDir().resolve("state-" + instance).toString())
                .replace("@BOOTSTRAP@", kafka.bootstrapServers())
                .replace("@ENDPOINT@", endpoint)
                .replace("@BUCKET@", BUCKET)
                .replace("@DATABASE@", DATABASE)
                .replace("@FORMAT@", options.iceberg() ? "iceberg" : "hive")
                .replace("@MAINTENANCE@", options.iceberg() ? MAINTENANCE : "")
                .replace("@SESSION@", Long.toString(SESSION_TIMEOUT.toMillis()))
                .replace("@SCHEMA@", Path.of("schemas/claim.avsc").toAbsolutePath().toString());
        Path file = options.workDir().resolve("config-" + instance + ".yaml");
        try {
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ConfigLoader.load(file); // fails here, with the config's own message, rather than in a child process
        return file;
    }

    void event(String what) {
        String line = String.format("+%4ds %s", Duration.between(started, Instant.now()).toSeconds(), what);
        timeline.add(line);
        log.info("chaos: {}", line);
    }

    static void sleep(long millis) {
        AppProcess.sleep(millis);
    }

    /**
     * Iceberg tables: a pass every 10 s, so that compaction (of each hour once its windows are closed) and snapshot
     * expiry (everything but the newest 5 snapshots, which deletes the files compactions replaced) run among the
     * kills. Orphan cleanup keeps its minimum age (1 h), so it never runs here: files no snapshot lists stay.
     */
    private static final String MAINTENANCE = "  maintenance:\n    interval: 10s\n    keep-snapshots: 5\n"
            + "    keep-history: 0s";

    private static final String CONFIG = """
            application:
              id: chaos-claims
              state-dir: @STATE@
              processing-guarantee: exactly-once
              commit-interval: 500ms
            kafka:
              bootstrap.servers: @BOOTSTRAP@
              # A paused (SIGSTOP) instance is fenced out of the group quickly.
              session.timeout.ms: "@SESSION@"
              heartbeat.interval.ms: "1500"
              max.poll.interval.ms: "20000"
            registry:
              type: glue
              region: us-east-1
              endpoint: @ENDPOINT@
              registry-name: lakestream
            lake:
              store: s3
              bucket: @BUCKET@
              prefix: lakestream/
              format: parquet
              compression: snappy
              table-format: @FORMAT@
              region: us-east-1
              endpoint: @ENDPOINT@
            catalog:
              type: glue
              database: @DATABASE@
              # Iceberg tables: frequent commits, so that kills meet them often.
              commit-interval: 5s
              region: us-east-1
              endpoint: @ENDPOINT@
            @MAINTENANCE@
            http:
              port: 0
            pipelines:
              - name: claims
                source:
                  topics: [onprem.claims.raw]
                  format: json
                schema: @SCHEMA@
                key: account_id
                event-time: { field: claim_ts, format: iso-8601, zone: UTC }
                fields:
                  account_id: $.account.id
                  claim_id: $.claimId
                  amount: $.amount
                  currency: $.currency
                  status: $.status
                  claim_ts: $.claimTs
                  adjuster: $.adjuster.name
                  policy: $.policy
                landing: { table: claims, window: 10s, grace: 5s, idle-timeout: 10m, partition-by: [dt, hour] }
                aggregations:
                  - name: claims_by_account
                    group-by: [account_id]
                    window: { size: 20s, grace: 5s, idle-timeout: 10m }
                    measures:
                      - { name: claim_count, fn: count }
                      - { name: amount_total, fn: sum, field: amount }
                      - { name: amount_min, fn: min, field: amount }
                      - { name: amount_max, fn: max, field: amount }
            """;
}
