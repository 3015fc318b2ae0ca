package io.lakestream.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.port.ObjectStore;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;

/**
 * Exactly-once check of a records table: the lineage columns ({@code _source_partition}, {@code _source_offset}) of
 * every row of every Parquet object under a table prefix, read back by DuckDB, must be each expected source offset
 * once and nothing else.
 */
public final class LandedOffsets {

    private LandedOffsets() {
    }

    /** {@code "partition:offset"} of every row under {@code tablePrefix} (e.g. {@code lakestream/claims/}). */
    public static List<String> of(ObjectStore store, String tablePrefix) {
        if (store.list(tablePrefix).isEmpty()) {
            return List.of();
        }
        DuckLake lake = DuckLake.download(store, tablePrefix);
        return lake.query("SELECT _source_partition AS p, _source_offset AS o FROM read_parquet('{lake}/"
                        + tablePrefix.replace("'", "''") + "**/*.parquet', hive_partitioning=true)")
                .stream().map(r -> r.get("p") + ":" + r.get("o")).toList();
    }

    /** Asserts that the table holds each of {@code expected} ("partition:offset") exactly once, and nothing else. */
    public static void assertExactlyOnce(ObjectStore store, String tablePrefix, Collection<String> expected) {
        List<String> landed = of(store, tablePrefix);
        assertThat(landed).as("each source offset at most once in " + tablePrefix).doesNotHaveDuplicates();
        assertThat(new HashSet<>(landed)).as("every expected source offset in " + tablePrefix)
                .isEqualTo(new HashSet<>(expected));
    }
}
