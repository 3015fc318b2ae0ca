package io.lakestream.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.bench.ClaimGenerator;
import io.lakestream.bench.LiveProducer;
import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.iceberg.IcebergCatalogs;
import io.lakestream.testing.AppUnderTest;
import io.lakestream.testing.EmbeddedKafkaExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.util.SnapshotUtil;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A live stream (claims stamped with the wall clock) into the local lake, Hive-style and Iceberg: each aggregation
 * window lands once its end plus grace has passed, on the aggregation's progress marks alone — with no later input
 * and long before an idle timeout, as the records table's windows do — not when later results arrive. The stream
 * stops and nothing follows it; the idle timeout is 10 minutes; the test waits until every window the stream closed
 * is in both tables (read from the lake: the objects (Hive), the snapshots that added them (Iceberg)). How long
 * after its end plus grace each window landed is printed, not asserted. Grouped by other fields than the key, the
 * aggregation repartitions, so every aggregation task is fed by every raw partition (none waits for an idle timeout)
 * and every aggregates-sink partition gets results and marks from every task.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class AggregatesFreshnessIT {

    private static final long WINDOW = 4_000;
    private static final long GRACE = 2_000;
    private static final Duration PRODUCE = Duration.ofSeconds(20);
    /** A failure, not a speed: without later input the windows never land if the marks do not land them. */
    private static final Duration DEADLINE = Duration.ofMinutes(2);

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} tables")
    @ValueSource(strings = {"hive", "iceberg"})
    void shouldLandEachAggregateWindowOnItsCloseWithNoLaterInputAndNoIdleTimeout(String format, EmbeddedKafka kafka)
            throws Exception {
        String raw = "fresh-" + format + ".raw";
        kafka.createTopics(3, raw);
        Path lake = tmp.resolve("lake");
        LiveProducer.Produced produced;
        Set<Long> closed = new TreeSet<>();
        Map<Long, Long> records;
        Map<Long, Long> aggregates;
        try (AppUnderTest app = AppUnderTest.parse(yaml(kafka, format, raw), Path.of("."))) {
            app.start();
            app.app().awaitInputConsumed(Duration.ofSeconds(60)); // running, so the stream is processed live
            produced = LiveProducer.run(kafka.bootstrapServers(), raw, 50, PRODUCE,
                    new ClaimGenerator(1_000, 300, 1, Instant.now(), 7));
            // Windows the stream closed: their end plus grace at least one window before its last event time.
            for (long start = Math.floorDiv(produced.startMillis(), WINDOW) * WINDOW;
                    start + WINDOW + GRACE <= produced.stopMillis() - WINDOW; start += WINDOW) {
                closed.add(start);
            }
            assertThat(closed).as("windows the stream closed").hasSizeGreaterThanOrEqualTo(2);
            Instant deadline = Instant.now().plus(DEADLINE);
            do {
                Thread.sleep(1_000);
                records = landed(lake, format, "claims");
                aggregates = landed(lake, format, "claims_by_account");
            } while (!(records.keySet().containsAll(closed) && aggregates.keySet().containsAll(closed))
                    && Instant.now().isBefore(deadline));
        }
        Map<Long, Long> recordsLag = lag(records, closed);
        Map<Long, Long> aggregatesLag = lag(aggregates, closed);
        System.out.printf("%s: window end + grace -> landed (ms), records %s, aggregates %s%n", format,
                recordsLag.values(), aggregatesLag.values());
        assertThat(records.keySet()).as("records windows landed with no later input").containsAll(closed);
        assertThat(aggregates.keySet()).as("aggregate windows landed with no later input").containsAll(closed);
    }

    private static Map<Long, Long> landed(Path lake, String format, String table) throws Exception {
        return format.equals("iceberg") ? committed(lake, table) : written(lake.resolve("lakestream").resolve(table));
    }

    /** Per window start of {@code windows} that landed, landing time minus (window end + grace). */
    private static Map<Long, Long> lag(Map<Long, Long> landed, Set<Long> windows) {
        Map<Long, Long> lag = new TreeMap<>();
        windows.stream().filter(landed::containsKey).forEach(start -> lag.put(start,
                landed.get(start) - (start + WINDOW + GRACE)));
        return lag;
    }

    /** Per landing window start (object names begin with it), when its last object was written. */
    private static Map<Long, Long> written(Path table) throws IOException {
        Map<Long, Long> landed = new TreeMap<>();
        if (!Files.isDirectory(table)) {
            return landed;
        }
        try (Stream<Path> files = Files.walk(table)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".parquet")).toList()) {
                landed.merge(windowStart(f.getFileName().toString()), Files.getLastModifiedTime(f).toMillis(),
                        Math::max);
            }
        }
        return landed;
    }

    /** Per landing window start, when the last snapshot adding one of its files was committed. */
    private static Map<Long, Long> committed(Path lake, String table) throws Exception {
        Map<Long, Long> landed = new TreeMap<>();
        try (IcebergCatalogs.Opened catalog = IcebergCatalogs.local(lake)) {
            TableIdentifier id = TableIdentifier.of("fresh", table);
            if (!catalog.catalog().tableExists(id)) {
                return landed;
            }
            Table t = catalog.catalog().loadTable(id);
            for (Snapshot s : SnapshotUtil.currentAncestors(t)) {
                for (DataFile f : s.addedDataFiles(t.io())) {
                    String name = Path.of(f.location()).getFileName().toString();
                    landed.merge(windowStart(name), s.timestampMillis(), Math::max);
                }
            }
        }
        return landed;
    }

    private static long windowStart(String objectName) {
        return Long.parseLong(objectName.substring(0, objectName.indexOf('-')));
    }

    private String yaml(EmbeddedKafka kafka, String format, String raw) {
        return """
                application: { id: fresh-%1$s, state-dir: %2$s/state, processing-guarantee: exactly-once,
                               commit-interval: 200ms }
                kafka: { bootstrap.servers: "%3$s" }
                registry: { type: local, local-dir: %2$s/registry }
                lake: { store: local, local-dir: %2$s/lake, prefix: lakestream/, format: parquet,
                        table-format: %1$s }
                catalog: { type: local, database: fresh, commit-interval: 1s }
                http: { port: 0 }
                pipelines:
                  - name: fresh_%1$s
                    source: { topics: [%4$s], format: json }
                    schema: schemas/claim.avsc
                    key: account_id
                    event-time: { field: claim_ts, format: iso-8601, zone: UTC }
                    fields: { account_id: $.account.id, claim_id: $.claimId, amount: $.amount, currency: $.currency,
                              status: $.status, claim_ts: $.claimTs, adjuster: $.adjuster.name, policy: $.policy }
                    # idle-timeout: longer than the test waits, so an idle close cannot be what lands a window
                    landing: { table: claims, window: 4s, grace: 2s, idle-timeout: 10m, partition-by: [dt, hour] }
                    aggregations:
                      - name: claims_by_account
                        group-by: [account_id, status]
                        window: { size: 4s, grace: 2s, idle-timeout: 10m }
                        measures: [ { name: claim_count, fn: count } ]
                """.formatted(format, tmp, kafka.bootstrapServers(), raw);
    }
}
