package io.lakestream.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites one group of a partition's files into one file sorted by event time, and commits the swap as one rewrite
 * validated against everything committed since the pass's starting snapshot: if another writer removed one of the
 * files or added deletes meanwhile, the rewrite is skipped (its file deleted), not failed. Rows pass through
 * unchanged, lineage columns included; the new file names the files it replaced in its footer
 * ({@link CommittedFiles#REPLACED_KEY}), so that a replayed announcement of one of them is recognized later.
 *
 * <p>Memory: the group's files are merged by event time, opened in the order of their smallest event time and only
 * when the merge reaches it; a landed file (small by definition) is sorted in memory, a compacted one is already
 * sorted and streamed. So the rows held are those of the files whose event times overlap.
 */
final class Compactor {

    private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);

    /** Outcome of one group. */
    enum Outcome { COMMITTED, SKIPPED }

    private final Table table;
    private final String eventTime;
    private final long rowGroupSize;

    /**
     * @param eventTime    the event-time column to sort by, or null to keep the files' order
     * @param rowGroupSize Parquet row-group size of the written file, in bytes
     */
    Compactor(Table table, String eventTime, long rowGroupSize) {
        this.table = table;
        this.rowGroupSize = rowGroupSize;
        this.eventTime = eventTime != null && table.schema().findField(eventTime) != null ? eventTime : null;
    }

    /** The smallest event time of a file (microseconds, from its column lower bound), or Long.MIN_VALUE. */
    long eventLowerBound(DataFile file) {
        if (eventTime == null || file.lowerBounds() == null) {
            return Long.MIN_VALUE;
        }
        Types.NestedField field = table.schema().findField(eventTime);
        ByteBuffer bound = file.lowerBounds().get(field.fieldId());
        if (bound == null) {
            return Long.MIN_VALUE;
        }
        Object v = Conversions.fromByteBuffer(field.type(), bound);
        return field.type().typeId() == org.apache.iceberg.types.Type.TypeID.DATE
                ? ((Integer) v) * 86_400_000_000L : ((Number) v).longValue();
    }

    Outcome rewrite(CompactionPlan.Group group, long startingSnapshot) {
        Set<String> replaced = new LinkedHashSet<>();
        for (DataFile f : group.files()) {
            replaced.add(f.location());
            replaced.addAll(CommittedFiles.replacedBy(table, f.location()));
        }
        String name = CommittedFiles.COMPACTED_PREFIX + startingSnapshot + "-" + UUID.randomUUID() + ".parquet";
        OutputFile out = table.io().newOutputFile(table.locationProvider().newDataLocation(table.spec(),
                group.partition().tuple(), name));
        DataFile written = write(group, out, String.join("\n", replaced));
        RewriteFiles rewrite = table.newRewrite().validateFromSnapshot(startingSnapshot);
        group.files().forEach(rewrite::deleteFile);
        rewrite.addFile(written);
        rewrite.set("lakestream.compacted-partition", group.partition().path());
        // Announced before the commit, so that an operator (and the chaos test) can tell a crash mid-commit.
        LOG.info("iceberg table {}: committing compaction of partition {} ({} files into {})", table.name(),
                group.partition().path(), group.files().size(), written.location());
        try {
            rewrite.commit();
        } catch (ValidationException | CommitFailedException conflict) {
            LOG.warn("iceberg table {}: compaction of partition {} skipped, another writer changed it: {}",
                    table.name(), group.partition().path(), conflict.getMessage());
            table.io().deleteFile(written.location());
            return Outcome.SKIPPED;
        } catch (CommitStateUnknownException unknown) {
            // The file may be in the table now: it stays (an orphan cleanup removes it if it is not).
            LOG.warn("iceberg table {}: compaction of partition {} has an unknown outcome; left for the next pass: {}",
                    table.name(), group.partition().path(), unknown.getMessage());
            return Outcome.SKIPPED;
        }
        LOG.info("iceberg table {}: compacted {} files ({} bytes, {} rows) of partition {} into {} ({} bytes)",
                table.name(), group.files().size(), group.bytes(),
                group.files().stream().mapToLong(DataFile::recordCount).sum(), group.partition().path(),
                written.location(), written.fileSizeInBytes());
        return Outcome.COMMITTED;
    }

    private DataFile write(CompactionPlan.Group group, OutputFile out, String replaced) {
        DataWriter<Record> writer;
        try {
            writer = Parquet.writeData(out)
                    .schema(table.schema())
                    .withSpec(table.spec())
                    .withPartition(group.partition().tuple())
                    .createWriterFunc(type -> GenericParquetWriter.create(table.schema(), type))
                    // Readers split a file by row groups: one group of a large file would be read by one thread.
                    .set(TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, Long.toString(rowGroupSize))
                    .meta(CommittedFiles.REPLACED_KEY, replaced)
                    .overwrite()
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out.location(), e);
        }
        long rows = 0;
        try (writer) {
            Iterator<Record> merged = merged(group.files());
            while (merged.hasNext()) {
                writer.write(merged.next());
                rows++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out.location(), e);
        }
        long expected = group.files().stream().mapToLong(DataFile::recordCount).sum();
        if (rows != expected) {
            table.io().deleteFile(out.location());
            throw new IllegalStateException("compaction of " + group.partition().path() + " read " + rows
                    + " rows where the manifests list " + expected + "; nothing committed");
        }
        return writer.toDataFile();
    }

    /** The rows of the files in event-time order, each file opened when the merge reaches its smallest event time. */
    private Iterator<Record> merged(List<DataFile> files) {
        List<DataFile> order = new ArrayList<>(files);
        order.sort(Comparator.comparingLong(this::eventLowerBound));
        PriorityQueue<Head> heads = new PriorityQueue<>(Comparator.comparingLong(Head::key));
        return new Iterator<>() {
            int next = 0;

            @Override
            public boolean hasNext() {
                while (next < order.size() && (heads.isEmpty() || eventLowerBound(order.get(next)) <= heads.peek()
                        .key())) {
                    Head h = open(order.get(next++));
                    if (h.advance()) {
                        heads.add(h);
                    }
                }
                return !heads.isEmpty();
            }

            @Override
            public Record next() {
                hasNext();
                Head h = heads.poll();
                Record r = h.current;
                if (h.advance()) {
                    heads.add(h);
                }
                return r;
            }
        };
    }

    private Head open(DataFile file) {
        String name = file.location().substring(file.location().lastIndexOf('/') + 1);
        boolean sorted = eventTime == null || name.startsWith(CommittedFiles.COMPACTED_PREFIX);
        CloseableIterable<Record> rows = IcebergRows.read(table, file.location());
        if (sorted) {
            return new Head(rows.iterator(), rows);
        }
        List<Record> all = new ArrayList<>();
        try (rows) {
            rows.forEach(r -> all.add(r.copy()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        all.sort(Comparator.comparingLong(this::key));
        return new Head(all.iterator(), null);
    }

    private long key(Record r) {
        if (eventTime == null) {
            return 0;
        }
        Object v = r.getField(eventTime);
        if (v instanceof OffsetDateTime t) {
            return ChronoUnit.MICROS.between(java.time.Instant.EPOCH, t.toInstant());
        }
        if (v instanceof LocalDateTime t) {
            return ChronoUnit.MICROS.between(java.time.Instant.EPOCH, t.toInstant(ZoneOffset.UTC));
        }
        if (v instanceof LocalDate d) {
            return d.toEpochDay() * 86_400_000_000L;
        }
        return v instanceof Number n ? n.longValue() : Long.MIN_VALUE;
    }

    private final class Head {
        final Iterator<Record> rows;
        final CloseableIterable<Record> closeable;
        Record current;
        long key;

        Head(Iterator<Record> rows, CloseableIterable<Record> closeable) {
            this.rows = rows;
            this.closeable = closeable;
        }

        long key() {
            return key;
        }

        boolean advance() {
            if (rows.hasNext()) {
                current = closeable == null ? rows.next() : rows.next().copy();
                key = Compactor.this.key(current);
                return true;
            }
            if (closeable != null) {
                try {
                    closeable.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return false;
        }
    }
}
