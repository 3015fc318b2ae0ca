package io.lakestream.iceberg;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.StructLike;

/**
 * Which files one compaction pass rewrites: in every closed partition without delete files, the small files
 * (below {@link io.lakestream.config.MaintenanceConfig#smallFileBound()}) in event-time order, packed into groups of
 * at most the target size, each group becoming one file. A partition with fewer than two small files is left as it
 * is; groups are taken oldest partition first until the pass's byte budget is spent (the first group always fits),
 * the rest is deferred to a later pass.
 */
final class CompactionPlan {

    /** One partition of the table's current spec, its data files and whether it can still grow. */
    record Partition(String path, StructLike tuple, boolean closed, boolean hasDeletes, List<DataFile> files) {
    }

    /** Files rewritten together into one file. */
    record Group(Partition partition, List<DataFile> files) {
        long bytes() {
            return files.stream().mapToLong(DataFile::fileSizeInBytes).sum();
        }
    }

    record Plan(List<Group> groups, int deferred) {
    }

    private CompactionPlan() {
    }

    /**
     * @param eventLowerBound a file's smallest event time (its column lower bound), for ordering
     */
    static Plan plan(List<Partition> partitions, long target, long smallBound, long budget,
                     ToLongFunction<DataFile> eventLowerBound) {
        List<Group> groups = new ArrayList<>();
        int deferred = 0;
        long spent = 0;
        for (Partition p : partitions) {
            if (!p.closed() || p.hasDeletes()) {
                continue;
            }
            List<DataFile> small = p.files().stream().filter(f -> f.fileSizeInBytes() < smallBound)
                    .sorted(Comparator.comparingLong(eventLowerBound).thenComparing(f -> f.location()))
                    .toList();
            if (small.size() < 2) {
                continue;
            }
            List<Group> packed = pack(p, small, target);
            long bytes = packed.stream().mapToLong(Group::bytes).sum();
            if (!groups.isEmpty() && spent + bytes > budget) {
                deferred++;
                continue;
            }
            spent += bytes;
            groups.addAll(packed);
        }
        return new Plan(groups, deferred);
    }

    /** Consecutive files (in event-time order) into groups of at most {@code target} bytes; single files stay. */
    private static List<Group> pack(Partition p, List<DataFile> small, long target) {
        List<Group> out = new ArrayList<>();
        List<DataFile> current = new ArrayList<>();
        long bytes = 0;
        for (DataFile f : small) {
            if (!current.isEmpty() && bytes + f.fileSizeInBytes() > target) {
                add(out, p, current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(f);
            bytes += f.fileSizeInBytes();
        }
        add(out, p, current);
        return out;
    }

    private static void add(List<Group> out, Partition p, List<DataFile> files) {
        if (files.size() > 1) {
            out.add(new Group(p, List.copyOf(files)));
        }
    }
}
