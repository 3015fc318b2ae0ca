package io.lakestream.iceberg;

/**
 * What one maintenance pass did to one table.
 *
 * @param rewrites          rewrite commits (one per group of a partition's small files)
 * @param filesRewritten    data files replaced
 * @param filesWritten      data files written in their place
 * @param bytesRewritten    bytes of the replaced files
 * @param skippedOnConflict rewrites skipped because another writer changed the partition meanwhile
 * @param deferred          closed partitions with small files left for a later pass (bytes per pass reached)
 * @param snapshotsExpired  snapshots expired
 * @param orphansDeleted    files under the table's data folder that no snapshot listed, deleted
 */
public record MaintenanceReport(int rewrites, int filesRewritten, int filesWritten, long bytesRewritten,
                                int skippedOnConflict, int deferred, int snapshotsExpired, int orphansDeleted) {

    public static final MaintenanceReport NOTHING = new MaintenanceReport(0, 0, 0, 0, 0, 0, 0, 0);

    MaintenanceReport plus(MaintenanceReport o) {
        return new MaintenanceReport(rewrites + o.rewrites, filesRewritten + o.filesRewritten,
                filesWritten + o.filesWritten, bytesRewritten + o.bytesRewritten,
                skippedOnConflict + o.skippedOnConflict, deferred + o.deferred, snapshotsExpired + o.snapshotsExpired,
                orphansDeleted + o.orphansDeleted);
    }

    @Override
    public String toString() {
        return String.format("%d rewrite(s): %d file(s) (%d bytes) into %d, %d skipped on conflict, %d deferred; "
                        + "%d snapshot(s) expired; %d orphan file(s) deleted", rewrites, filesRewritten,
                bytesRewritten, filesWritten, skippedOnConflict, deferred, snapshotsExpired, orphansDeleted);
    }
}
