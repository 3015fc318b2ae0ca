package io.lakestream.sink;

import io.lakestream.sink.format.WrittenFile;
import java.util.Collection;
import java.util.List;
import org.apache.avro.Schema;

/**
 * What a sink does to make the files it lands part of their table, chosen once per table by its layout
 * ({@link TableLayout#committer}). A Hive table's committer is the sink itself: it keeps the catalog's table and
 * partitions current as files land ({@link CatalogUpdater}). An Iceberg table's files are committed by the table's
 * one committer task, fed by the landing events; in the sink its committer only describes each file it wrote for
 * that event, so the committer task need not read it back.
 */
public interface TableCommitter {

    /** Before the first object written in {@code tableSchema} (a table schema version) is written. */
    default void beforeWrite(Schema tableSchema) {
    }

    /**
     * What the landing event of a file this flush wrote tells the table's committer about it; null when the
     * committer needs nothing.
     *
     * @param location the file's URI
     */
    default FileStatistics describe(String location, WrittenFile file) {
        return null;
    }

    /** After a flush landed objects in these partitions (value lists, in layout order). */
    default void landed(Collection<List<String>> partitions) {
    }
}
