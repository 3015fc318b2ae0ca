package io.lakestream.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;

/**
 * The data files of a table as a query engine sees them: count, bytes, rows, median file size, and the same per
 * partition. For an Iceberg table, the files the current snapshot lists; for a Hive table, the objects under its
 * folder.
 *
 * @param partitions by partition path ({@code claim_ts_hour=2024-05-01-13}, {@code dt=2024-05-01/hour=13})
 */
public record TableStats(long files, long bytes, long rows, long medianBytes, Map<String, Partition> partitions) {

    /** One partition's files; rows are -1 where unknown (Hive objects). */
    public record Partition(long files, long bytes, long rows) {
    }

    /** A file of a table: its partition path, size and row count (-1 when unknown). */
    public record File(String partition, long bytes, long rows) {
    }

    public static TableStats of(List<File> files) {
        Map<String, Partition> partitions = new TreeMap<>();
        List<Long> sizes = new ArrayList<>();
        long bytes = 0;
        long rows = 0;
        for (File f : files) {
            sizes.add(f.bytes());
            bytes += f.bytes();
            rows += Math.max(0, f.rows());
            partitions.merge(f.partition(), new Partition(1, f.bytes(), f.rows()), (a, b) -> new Partition(
                    a.files() + b.files(), a.bytes() + b.bytes(), a.rows() < 0 || b.rows() < 0 ? -1
                    : a.rows() + b.rows()));
        }
        Collections.sort(sizes);
        long median = sizes.isEmpty() ? 0 : sizes.size() % 2 == 1 ? sizes.get(sizes.size() / 2)
                : (sizes.get(sizes.size() / 2 - 1) + sizes.get(sizes.size() / 2)) / 2;
        boolean rowsKnown = files.stream().allMatch(f -> f.rows() >= 0);
        return new TableStats(files.size(), bytes, rowsKnown ? rows : -1, median, partitions);
    }

    /** The current snapshot's data files. */
    public static TableStats of(Table table) {
        List<File> files = new ArrayList<>();
        if (table.currentSnapshot() != null) {
            try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
                for (FileScanTask t : tasks) {
                    files.add(new File(table.specs().get(t.file().specId()).partitionToPath(t.file().partition()),
                            t.file().fileSizeInBytes(), t.file().recordCount()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return of(files);
    }

    /** The partitions with the fewest bytes, smallest first. */
    public List<Map.Entry<String, Partition>> smallest(int n) {
        return partitions.entrySet().stream()
                .sorted(Map.Entry.comparingByValue(java.util.Comparator.comparingLong(Partition::bytes)))
                .limit(n).toList();
    }
}
