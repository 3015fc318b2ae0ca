package io.lakestream.bench;

import io.lakestream.bench.IcebergCommitFigures.AddedFile;
import io.lakestream.bench.IcebergCommitFigures.SnapshotInfo;
import io.lakestream.iceberg.IcebergRows;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotChanges;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What the benchmark reads back from an Iceberg table, independently of lakestream's logs and metrics: every append
 * snapshot (lakestream's commits of landed files; compaction's {@code replace} snapshots are only counted) with its
 * commit time and the data files it added, each file's event window (from its object name, which starts
 * with the window start, checked against the event-time bounds the manifest records for the file), and when the
 * object was written (the store's last-modified time).
 */
final class IcebergSnapshots {

    /**
     * @param outsideWindow files whose manifest event-time bounds do not lie in the window their name gives
     * @param unchecked     files without event-time bounds in their manifest entry
     * @param others        snapshots that are not appends (compactions)
     */
    record Read(List<SnapshotInfo> snapshots, int outsideWindow, int unchecked, int others) {
    }

    private IcebergSnapshots() {
    }

    /**
     * @param eventTimeColumn the column whose bounds must lie in the file's window ({@code claim_ts},
     *                        {@code window_start})
     * @param writtenAt       an object's write time (epoch millis) by location, {@link IcebergCommitFigures#NONE} when
     *                        unknown
     */
    static Read read(Table table, String eventTimeColumn, long windowMillis, ToLongFunction<String> writtenAt) {
        Types.NestedField column = table.schema().findField(eventTimeColumn);
        List<SnapshotInfo> snapshots = new ArrayList<>();
        int outside = 0;
        int unchecked = 0;
        int others = 0;
        for (Snapshot s : table.snapshots()) {
            if (!DataOperations.APPEND.equals(s.operation())) {
                others++;
                continue;
            }
            List<AddedFile> added = new ArrayList<>();
            for (DataFile f : SnapshotChanges.builderFor(table).snapshot(s).build().addedDataFiles()) {
                long start = windowStart(f.location());
                Long lower = bound(f.lowerBounds(), column);
                Long upper = bound(f.upperBounds(), column);
                if (lower == null || upper == null) {
                    unchecked++;
                } else if (lower < start || upper >= start + windowMillis) {
                    outside++;
                }
                added.add(new AddedFile(f.location(), start, writtenAt.applyAsLong(f.location())));
            }
            snapshots.add(new SnapshotInfo(s.snapshotId(), s.timestampMillis(), added));
        }
        return new Read(snapshots, outside, unchecked, others);
    }

    /** Rows of the table's current snapshot, from its summary. */
    static long rows(Table table) {
        return table.currentSnapshot() == null ? 0
                : Long.parseLong(table.currentSnapshot().summary().getOrDefault("total-records", "0"));
    }

    /** Sum of a numeric column over the current snapshot, read with Iceberg's generic reader. */
    static long sum(Table table, String column) {
        return IcebergRows.rows(table).stream().mapToLong(r -> ((Number) r.getField(column)).longValue()).sum();
    }

    /** Whether the file is one a sink landed (its name starts with its window), not one compaction wrote. */
    static boolean landed(String location) {
        String name = location.substring(location.lastIndexOf('/') + 1);
        return !name.isEmpty() && Character.isDigit(name.charAt(0));
    }

    /** The window start an object's name begins with: {@code <window-start>-<topic>-<partition>-<offset>...}. */
    static long windowStart(String location) {
        String name = location.substring(location.lastIndexOf('/') + 1);
        int dash = name.indexOf('-');
        if (dash <= 0) {
            throw new IllegalArgumentException("not a landed object name: " + location);
        }
        return Long.parseLong(name.substring(0, dash));
    }

    /** Last-modified times of a bucket's objects, by {@code s3://bucket/key}. */
    static Map<String, Long> s3WriteTimes(S3Client s3, String bucket) {
        Map<String, Long> times = new HashMap<>();
        for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(bucket)).contents()) {
            times.put("s3://" + bucket + "/" + o.key(), o.lastModified().toEpochMilli());
        }
        return times;
    }

    /** A local file's modification time, {@link IcebergCommitFigures#NONE} when it cannot be read. */
    static long localWriteTime(String location) {
        try {
            Path p = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException | RuntimeException e) {
            return IcebergCommitFigures.NONE;
        }
    }

    /** A timestamp bound in epoch millis (Iceberg stores micros), a long as is; null when absent. */
    private static Long bound(Map<Integer, ByteBuffer> bounds, Types.NestedField column) {
        if (bounds == null || column == null || !bounds.containsKey(column.fieldId())) {
            return null;
        }
        Object v = Conversions.fromByteBuffer(column.type(), bounds.get(column.fieldId()));
        if (column.type().typeId() == Type.TypeID.TIMESTAMP) {
            return Math.floorDiv((Long) v, 1000L);
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        throw new IllegalStateException(column.name() + " is neither a timestamp nor a number");
    }
}
