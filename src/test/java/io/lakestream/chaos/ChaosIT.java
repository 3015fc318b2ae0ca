package io.lakestream.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.demo.SampleClaims.Claim;
import io.lakestream.testing.LakeVerifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nothing lost, nothing duplicated: two lakestream JVMs, a broker JVM and moto under repeated {@code kill -9}
 * mid-flush, SIGSTOP until fenced (then SIGCONT: a zombie), broker restarts and broker {@code kill -9}, with input
 * flowing all along; at least one replay must meet an object it already wrote.
 * Cycles: {@code -Dchaos.cycles} (1 in {@code mvn verify}: each scenario strikes once); {@code -Dchaos.long=true} is the
 * long run (20 cycles, 8 with Iceberg; see docs/CHAOS.md). The verdict line is printed and written to
 * {@code target/chaos/verdict.txt}; process outputs stay under {@code target/chaos/}.
 */
class ChaosIT {

    private static final Logger log = LoggerFactory.getLogger(ChaosIT.class);
    private static final boolean LONG = Boolean.getBoolean("chaos.long");

    @Test
    void shouldLandEveryRecordExactlyOnceThroughKillsPausesAndBrokerRestarts() throws IOException {
        run(LONG ? 20 : Integer.getInteger("chaos.cycles", 1), false);
    }

    /**
     * The same with Iceberg tables in the Glue Data Catalog: the verdict comes from each table's current snapshot
     * (Iceberg's reader over the files its manifests list), and every cycle also kills every instance between a
     * landing and its Iceberg commit, kills the instance held right after an Iceberg commit (before its Kafka side)
     * and kills one during a snapshot expiry; the first cycle also kills one during a compaction commit. Cycles:
     * {@code -Dchaos.iceberg.cycles} (1 in {@code mvn verify}).
     */
    @Test
    void shouldCommitEveryRecordToIcebergExactlyOnceThroughKillsPausesAndBrokerRestarts() throws IOException {
        run(LONG ? 8 : Integer.getInteger("chaos.iceberg.cycles", 1), true);
    }

    private void run(int cycles, boolean iceberg) throws IOException {
        long seed = Long.getLong("chaos.seed", 20240501L);
        Path work = Path.of("target", "chaos", (iceberg ? "iceberg-" : "run-") + System.currentTimeMillis())
                .toAbsolutePath();
        Instant began = Instant.now();
        // Iceberg: event time 10x wall clock, so that hours close (and are compacted) while the chaos goes on; the
        // first one closes at once by a leap of event time.
        ChaosHarness.Options options = new ChaosHarness.Options(cycles, 40, iceberg ? 10 : 2, seed, work, iceberg);
        try (ChaosHarness chaos = new ChaosHarness(options)) {
            IcebergCrashes crashes = iceberg ? new IcebergCrashes(chaos) : null;
            try {
                chaos.start();
                for (int cycle = 1; cycle <= cycles; cycle++) {
                    log.info("chaos: cycle {} of {}", cycle, cycles);
                    if (iceberg && cycle == 1) {
                        // The feed's event time leaps past the hour in progress: its windows close, the next
                        // maintenance pass compacts it (later hours close every 6 min of wall clock).
                        chaos.leapToNextHour();
                        crashes.killDuringCompaction();
                        chaos.supervise();
                    }
                    chaos.killMidFlush();
                    chaos.supervise();
                    if (iceberg) {
                        crashes.killAllBetweenLandingAndCommit();
                        chaos.supervise();
                        crashes.killAfterCommit();
                        chaos.supervise();
                        crashes.killDuringExpiry();
                        chaos.supervise();
                    }
                    chaos.pauseUntilFenced();
                    chaos.supervise();
                    chaos.restartBroker();
                    chaos.supervise();
                    chaos.killBroker();
                    chaos.supervise();
                }
                Map<String, Claim> produced = chaos.finish();
                LakeVerifier.Verdict verdict = chaos.verify(produced);
                List<String> struck = iceberg ? crashes.verifyStruckFiles() : List.of();
                List<String> deleted = iceberg ? crashes.verifySnapshotFiles() : List.of();
                List<String> replay = iceberg ? crashes.outsideWriterThenExpiryThenReplay() : List.of();
                String summary = verdict.line() + (iceberg ? " format=iceberg" : "") + " cycles=" + cycles
                        + " kills=" + chaos.killsMidFlush() + " fenced=" + chaos.fencedPauses() + " broker-kills="
                        + chaos.brokerKills() + " deduplicated=" + chaos.deduplications() + " replays="
                        + chaos.replays() + (iceberg ? " kills-before-commit=" + crashes.killsBetweenLandingAndCommit()
                        + " kills-after-commit=" + crashes.killsAfterCommit() + " found-done-after-kill="
                        + crashes.foundDoneAfterKill() + " kills-during-expiry=" + crashes.killsDuringExpiry()
                        + " snapshot-files-deleted=" + deleted.size() + " replay-after-other-writer-problems="
                        + replay.size() + " kills-during-compaction="
                        + crashes.killsDuringCompaction() + " final-run-compactions="
                        + chaos.finalRunCount(IcebergCrashes.COMPACTED) + " commits-found-done="
                        + crashes.foundDone() + " struck-files=" + chaos.struckObjects().size() + " struck-problems="
                        + struck.size() + " " + crashes.describeTables() : "")
                        + " unexpected-exits=" + chaos.unexpectedExits().size() + " seconds="
                        + Duration.between(began, Instant.now()).toSeconds();
                report(work, summary, verdict, chaos.timeline());

                assertThat(verdict.problems()).as(verdict.report() + "\ntimeline:\n"
                        + String.join("\n", chaos.timeline())).isEmpty();
                assertThat(verdict.offsets()).as("records produced").isGreaterThan(1000);
                assertThat(chaos.killsMidFlush()).as("kills that struck mid-flush").isGreaterThanOrEqualTo(struck(cycles));
                assertThat(chaos.fencedPauses()).as("pauses long enough to be fenced out").isGreaterThanOrEqualTo(struck(cycles));
                assertThat(chaos.brokerKills()).as("broker kill -9").isGreaterThanOrEqualTo(struck(cycles));
                // A zombie fenced during a broker restart replaces its stream thread instead of exiting.
                assertThat(chaos.unexpectedExits()).as("instances that exited on their own").isEmpty();
                assertThat(chaos.deduplications()).as("replays that found their object already written").isPositive();
                // Killed mid-flush, an instance leaves the next windows open: their new owner rebuilds them.
                assertThat(chaos.replays()).as("restarts that rebuilt open windows by replay").isPositive();
                if (iceberg) {
                    assertThat(struck).as("files written right before a crash, each committed once").isEmpty();
                    assertThat(deleted).as("files a snapshot lists, deleted").isEmpty();
                    assertThat(replay).as("another writer's snapshots, expiry of lakestream's, a replay").isEmpty();
                    assertThat(crashes.killsAfterCommit()).as("kills right after an Iceberg commit")
                            .isGreaterThanOrEqualTo(struck(cycles));
                    assertThat(crashes.foundDoneAfterKill())
                            .as("restarts that found the commit of the killed instance done")
                            .isEqualTo(crashes.killsAfterCommit());
                    assertThat(crashes.killsDuringExpiry()).as("kills during a snapshot expiry")
                            .isGreaterThanOrEqualTo(struck(cycles));
                    assertThat(crashes.killsDuringCompaction()).as("kills during a compaction commit").isEqualTo(1);
                    // The drained final run ends with a pass that takes every partition as closed: the open hour
                    // of each table is compacted there.
                    assertThat(chaos.finalRunCount(IcebergCrashes.COMPACTED))
                            .as("compactions committed by the final run's maintenance pass").isGreaterThanOrEqualTo(2);
                    assertThat(crashes.killsBetweenLandingAndCommit())
                            .as("kills of every instance between a landing and its Iceberg commit").isPositive();
                }
            } catch (RuntimeException | AssertionError e) {
                chaos.keepEvidence();
                log.error("chaos run failed; process outputs:{}", chaos.tails());
                System.out.println("chaos run failed; timeline:\n" + String.join("\n", chaos.timeline())
                        + chaos.tails());
                throw e;
            }
        }
    }

    /**
     * How many cycles each fault must have struck: every one in a one-cycle run; over a long run at least half, as a
     * fault waits a bounded time for its moment (an expiry, a flush) and a quiet stretch can offer none.
     */
    private static int struck(int cycles) {
        return cycles == 1 ? 1 : (cycles + 1) / 2;
    }

    private static void report(Path work, String summary, LakeVerifier.Verdict verdict, List<String> timeline)
            throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("timeline:");
        lines.addAll(timeline);
        lines.add(verdict.report());
        lines.add(summary);
        Files.write(work.resolve("report.txt"), lines);
        Files.writeString(work.getParent().resolve(work.getFileName().toString().startsWith("iceberg")
                ? "verdict-iceberg.txt" : "verdict.txt"), summary + "\n");
        lines.forEach(System.out::println);
        log.info("chaos: {}", summary);
    }
}
