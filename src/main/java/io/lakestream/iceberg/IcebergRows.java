package io.lakestream.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.ManifestEvaluator;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.mapping.NameMappingParser;
import org.apache.iceberg.parquet.Parquet;

/**
 * Reads an Iceberg table's current snapshot with Iceberg's own generic Parquet reader: the files the snapshot lists,
 * the table's schema and its name mapping ({@code schema.name-mapping.default}, how Spark, Trino and pyiceberg read
 * files without field IDs; {@code IcebergGenerics} 1.12 ignores the mapping). Used by {@code demo} and the tests.
 */
public final class IcebergRows {

    private IcebergRows() {
    }

    /** The data files of the current snapshot, as listed by its manifests. */
    public static List<String> files(Table table) {
        List<String> files = new ArrayList<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            tasks.forEach(t -> files.add(t.file().location()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /**
     * The data files of the current snapshot in one partition of the table's current spec: manifests whose partition
     * summaries exclude it are not read (files of an older spec are all listed, as their tuples are not comparable).
     */
    static Set<String> filesIn(Table table, StructLike partition) {
        Set<String> files = new HashSet<>();
        if (table.currentSnapshot() == null) {
            return files;
        }
        Expression filter = IcebergLayout.partitionFilter(table.spec(), partition);
        for (ManifestFile manifest : table.currentSnapshot().dataManifests(table.io())) {
            boolean sameSpec = manifest.partitionSpecId() == table.spec().specId();
            if (sameSpec && !ManifestEvaluator.forPartitionFilter(filter, table.spec(), true).eval(manifest)) {
                continue;
            }
            ManifestReader<DataFile> reader = ManifestFiles.read(manifest, table.io(), table.specs());
            try (CloseableIterable<DataFile> live = sameSpec ? reader.filterPartitions(filter) : reader) {
                live.forEach(f -> files.add(f.location()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    public static List<Record> rows(Table table) {
        List<Record> rows = new ArrayList<>();
        rowsByFile(table).values().forEach(rows::addAll);
        return rows;
    }

    /** The current snapshot's rows by the data file they were read from, in the order the manifests list them. */
    public static Map<String, List<Record>> rowsByFile(Table table) {
        Map<String, List<Record>> rows = new LinkedHashMap<>();
        forEachRow(table, (file, r) -> rows.computeIfAbsent(file, f -> new ArrayList<>()).add(r.copy()));
        return rows;
    }

    /**
     * Each row of the current snapshot with the data file it was read from, file by file, none of them held: a table
     * of millions of rows is read in constant memory. The record may be reused for the next row; copy it to keep it.
     */
    public static void forEachRow(Table table, BiConsumer<String, Record> action) {
        for (String file : files(table)) {
            try (CloseableIterable<Record> records = read(table, file)) {
                records.forEach(r -> action.accept(file, r));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The rows of one data file of the table, in the table's schema (columns mapped by name where IDs are absent). */
    static CloseableIterable<Record> read(Table table, String file) {
        var mapping = NameMappingParser.fromJson(table.properties().get(TableProperties.DEFAULT_NAME_MAPPING));
        return Parquet.read(table.io().newInputFile(file))
                .project(table.schema())
                .withNameMapping(mapping)
                .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(table.schema(), fileSchema))
                .build();
    }
}
