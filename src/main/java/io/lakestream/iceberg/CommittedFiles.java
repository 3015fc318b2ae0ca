package io.lakestream.iceberg;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;

/**
 * The files a committer has committed to each partition of a table, for spotting a file announced again: the files
 * the current snapshot lists in the partition, plus the files that lakestream's compaction replaced, which every
 * compacted file names in its Parquet footer ({@value #REPLACED_KEY}, carried over when a compacted file is compacted
 * again). So a re-announced file is recognized after its compaction and after the snapshots that listed it expired.
 * Kept for the partitions seen lately, least recently used dropped first.
 */
final class CommittedFiles {

    /** Parquet footer key of a compacted file: the files it replaced, one location per line. */
    static final String REPLACED_KEY = "lakestream.replaced-files";
    /** Name prefix of the files compaction writes. */
    static final String COMPACTED_PREFIX = "compacted-";
    /** Partitions remembered per table; a landing in another costs one read of the manifests holding it. */
    private static final int REMEMBERED_PARTITIONS = 256;

    private final Map<String, Map<String, Set<String>>> byTable = new HashMap<>();
    /** Per table, the snapshot the remembered files are those of. */
    private final Map<String, Long> snapshotOf = new HashMap<>();

    /**
     * Declares the table's current snapshot: what was remembered of another snapshot is dropped, since a commit that
     * is not this committer's own (another instance that owned the table meanwhile, a compaction, another tool) may
     * have changed the partitions' files.
     */
    void validAt(String tableName, Long snapshotId) {
        Long known = snapshotOf.put(tableName, snapshotId);
        if (!java.util.Objects.equals(known, snapshotId)) {
            byTable.remove(tableName);
        }
    }

    /** The committed files of {@code partition} (read from the manifests and compacted footers at first need). */
    Set<String> of(String tableName, Table table, StructLike partition) {
        String path = table.spec().partitionToPath(partition);
        Map<String, Set<String>> partitions = byTable.computeIfAbsent(tableName, n -> new LinkedHashMap<>(16, 0.75f,
                true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
                return size() > REMEMBERED_PARTITIONS;
            }
        });
        Set<String> known = partitions.get(path);
        if (known == null) {
            known = new HashSet<>();
            for (String file : IcebergRows.filesIn(table, partition)) {
                known.add(file);
                known.addAll(replacedBy(table, file));
            }
            partitions.put(path, known);
        }
        return known;
    }

    /** Forgets a table's partitions (after a compaction changed them). */
    void forget(String tableName) {
        byTable.remove(tableName);
        snapshotOf.remove(tableName);
    }

    /** The files a compacted file replaced (none for any other file). */
    static Set<String> replacedBy(Table table, String file) {
        String name = file.substring(file.lastIndexOf('/') + 1);
        if (!name.startsWith(COMPACTED_PREFIX)) {
            return Set.of();
        }
        String replaced = ParquetFooter.keyValue(table.io().newInputFile(file), REPLACED_KEY);
        return replaced == null ? Set.of() : Set.of(replaced.split("\n"));
    }
}
