package io.lakestream.bench;

import io.lakestream.iceberg.IcebergRows;
import io.lakestream.iceberg.TableStats;
import io.lakestream.testing.DuckLake;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.iceberg.Table;

/**
 * One read-back of the records table's current snapshot, by readers other than the code that wrote it: its data
 * files through the Iceberg API (count, bytes, median size, files per partition), every row through Iceberg's generic
 * reader (each expected source offset exactly once), and DuckDB over exactly the files the snapshot lists. The
 * DuckDB queries are timed by {@link #time}, over the files of both snapshots in turn.
 */
final class CompactionReadBack {

    static final int TIMED_RUNS = 3;
    private static final DuckLake DUCK = DuckLake.at(java.nio.file.Path.of("/"));
    static final String COUNT_SQL = "SELECT count(*) AS n, count(DISTINCT (_source_partition, _source_offset)) AS d "
            + "FROM %s";
    static final String AGGREGATE_SQL = "SELECT account_id, count(*) AS claims, sum(amount) AS amount FROM %s "
            + "GROUP BY account_id ORDER BY amount DESC, account_id LIMIT 10";

    /**
     * What one read-back found.
     *
     * @param filesPerPartition data files by partition path ({@code claim_ts_hour=2024-05-01-00})
     * @param filesListedTwice  data files the snapshot lists more than once
     * @param icebergRows       rows Iceberg's reader returned
     * @param duplicates        rows whose source offset an earlier row already had
     * @param missing           expected source offsets no row had
     * @param unexpected        rows of a source offset not expected (a dead letter's, or never produced)
     * @param duckRows          DuckDB's {@code count(*)}
     * @param duckDistinct      DuckDB's {@code count(DISTINCT (_source_partition, _source_offset))}
     * @param aggregate         the rows of {@link #AGGREGATE_SQL}
     * @param rowGroups         Parquet row groups in the files (DuckDB reads a file's row groups in parallel, not
     *                          one row group)
     * @param dataFiles         the files the snapshot lists
     */
    record Figures(int snapshots, long files, long bytes, long medianBytes, Map<String, Long> filesPerPartition,
                   int filesListedTwice, long icebergRows, long duplicates, long missing, long unexpected,
                   long duckRows, long duckDistinct, List<Map<String, Object>> aggregate, long rowGroups,
                   List<String> dataFiles) {

        long maxFilesPerPartition() {
            return filesPerPartition.values().stream().mapToLong(Long::longValue).max().orElse(0);
        }
    }

    private CompactionReadBack() {
    }

    /** @param expected source offsets by raw-topic partition: every produced offset but the dead letters' */
    static Figures read(Table table, Map<Integer, BitSet> expected) {
        table.refresh();
        TableStats stats = TableStats.of(table);
        Map<String, Long> perPartition = new TreeMap<>();
        stats.partitions().forEach((path, p) -> perPartition.put(path, p.files()));
        List<String> files = IcebergRows.files(table);
        int twice = files.size() - new HashSet<>(files).size();
        int snapshots = 0;
        for (var ignored : table.snapshots()) {
            snapshots++;
        }

        Map<Integer, BitSet> seen = new TreeMap<>();
        long[] rows = new long[2];
        IcebergRows.forEachRow(table, (file, r) -> {
            rows[0]++;
            BitSet offsets = seen.computeIfAbsent((Integer) r.getField("_source_partition"), p -> new BitSet());
            int offset = Math.toIntExact((Long) r.getField("_source_offset"));
            rows[1] += offsets.get(offset) ? 1 : 0;
            offsets.set(offset);
        });
        long missing = 0;
        long unexpected = 0;
        for (Integer p : union(expected, seen)) {
            BitSet want = (BitSet) expected.getOrDefault(p, new BitSet()).clone();
            BitSet got = seen.getOrDefault(p, new BitSet());
            BitSet extra = (BitSet) got.clone();
            extra.andNot(want);
            want.andNot(got);
            missing += want.cardinality();
            unexpected += extra.cardinality();
        }

        Map<String, Object> count = DUCK.query(COUNT_SQL.formatted(source(files))).get(0);
        long rowGroups = ((Number) DUCK.query("SELECT count(*) AS n FROM (SELECT DISTINCT file_name, row_group_id FROM "
                + "parquet_metadata(" + list(files) + "))").get(0).get("n")).longValue();
        return new Figures(snapshots, stats.files(), stats.bytes(), stats.medianBytes(), perPartition, twice, rows[0],
                rows[1], missing, unexpected, ((Number) count.get("n")).longValue(),
                ((Number) count.get("d")).longValue(), DUCK.query(AGGREGATE_SQL.formatted(source(files))), rowGroups,
                files);
    }

    /** Median wall times in milliseconds of the count and the aggregate query over each snapshot's files. */
    record Timings(long countBefore, long countAfter, long aggregateBefore, long aggregateAfter) {
    }

    /**
     * Times both queries over both snapshots' files (the files compaction replaced stay until their snapshots expire):
     * one untimed run of each (DuckDB's library loaded, the files in the page cache), then {@value #TIMED_RUNS} runs
     * of each, before and after in turn, each in a fresh in-memory DuckDB, so that a change in the machine's load
     * falls on both.
     */
    static Timings time(List<String> before, List<String> after) {
        List<String> queries = List.of(COUNT_SQL.formatted(source(before)), COUNT_SQL.formatted(source(after)),
                AGGREGATE_SQL.formatted(source(before)), AGGREGATE_SQL.formatted(source(after)));
        queries.forEach(DUCK::query);
        List<List<Long>> millis = new ArrayList<>();
        queries.forEach(q -> millis.add(new ArrayList<>()));
        for (int run = 0; run < TIMED_RUNS; run++) {
            for (int q = 0; q < queries.size(); q++) {
                long t0 = System.nanoTime();
                DUCK.query(queries.get(q));
                millis.get(q).add((System.nanoTime() - t0) / 1_000_000);
            }
        }
        long[] median = millis.stream().mapToLong(m -> m.stream().sorted().toList().get(m.size() / 2)).toArray();
        return new Timings(median[0], median[1], median[2], median[3]);
    }

    private static String list(List<String> files) {
        return "[" + files.stream().map(f -> "'" + f + "'").collect(Collectors.joining(", ")) + "]";
    }

    private static String source(List<String> files) {
        return "read_parquet(" + list(files) + ")";
    }

    private static java.util.Set<Integer> union(Map<Integer, BitSet> a, Map<Integer, BitSet> b) {
        java.util.Set<Integer> keys = new java.util.TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }
}
