package io.lakestream.local;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lakestream.catalog.Catalog;
import io.lakestream.catalog.PartitionSpec;
import io.lakestream.catalog.TableDefinition;
import io.lakestream.config.LakeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Catalog} kept as files next to the data, for the embedded default: each table's folder
 * {@code <root>/<prefix><table>/} holds {@code .lakestream-table.json} (the table definition) and
 * {@code .lakestream-partitions.json} (its partitions). The names are hidden so that Spark, Hive and DuckDB
 * globs skip them and {@link LocalObjectStore#list} does not return them.
 *
 * <p>Every change is a read-modify-write under the table's lock (threads and processes), ending in an atomic
 * file replacement, so readers never see a half-written file and concurrent writers never lose an update.
 * There is one database per lake folder: the database name is recorded and checked, not part of the path.
 */
public final class LocalCatalog implements Catalog {

    static final String TABLE_FILE = ".lakestream-table.json";
    static final String PARTITIONS_FILE = ".lakestream-partitions.json";
    private static final String LOCK_FILE = ".lakestream-catalog.lock";
    private static final Logger log = LoggerFactory.getLogger(LocalCatalog.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final TypeReference<List<PartitionSpec>> PARTITIONS = new TypeReference<>() {
    };

    private final Path root;
    private final String prefix;
    private final FileLocks locks = new FileLocks();

    /**
     * @param root   the lake folder (the local object store's root)
     * @param prefix key prefix of every table, empty or ending with '/'
     */
    public LocalCatalog(Path root, String prefix) {
        this.root = root.toAbsolutePath().normalize();
        this.prefix = prefix == null ? "" : prefix;
    }

    /** The catalog next to the lake {@code lake} describes ({@code catalog.type = local}). */
    public static LocalCatalog from(LakeConfig lake) {
        return new LocalCatalog(lake.localDir(), lake.prefix());
    }

    @Override
    public void ensureTable(TableDefinition table) {
        Path dir = tableDir(table.name());
        locked(dir, () -> {
            TableDefinition existing = readTable(dir);
            if (existing == null) {
                write(dir.resolve(TABLE_FILE), table);
                log.info("Created local table {}.{} at {}", table.database(), table.name(), dir);
                return null;
            }
            checkDatabase(existing, table.database());
            Set<String> present = existing.columns().stream().map(c -> c.name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.toSet());
            List<TableDefinition.Column> missing = table.columns().stream()
                    .filter(c -> !present.contains(c.name().toLowerCase(Locale.ROOT))).toList();
            if (!missing.isEmpty()) {
                List<TableDefinition.Column> columns = new ArrayList<>(existing.columns());
                columns.addAll(missing);
                write(dir.resolve(TABLE_FILE), new TableDefinition(existing.database(), existing.name(), columns,
                        existing.partitionKeys(), existing.format(), existing.location()));
                log.info("Added columns {} to local table {}.{}",
                        missing.stream().map(TableDefinition.Column::name).toList(), table.database(), table.name());
            }
            return null;
        });
    }

    @Override
    public void addPartitions(String database, String table, List<PartitionSpec> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Path dir = tableDir(table);
        locked(dir, () -> {
            TableDefinition definition = readTable(dir);
            if (definition == null) {
                throw new IllegalStateException("table " + database + "." + table + " does not exist in " + dir
                        + ": ensureTable must run before partitions are added");
            }
            checkDatabase(definition, database);
            Map<List<String>, PartitionSpec> all = new LinkedHashMap<>();
            readPartitions(dir).forEach(p -> all.put(p.values(), p));
            int before = all.size();
            for (PartitionSpec partition : partitions) {
                if (partition.values().size() != definition.partitionKeys().size()) {
                    throw new IllegalArgumentException("partition " + partition.values() + " does not match the"
                            + " partition keys " + definition.partitionKeys() + " of " + database + "." + table);
                }
                all.putIfAbsent(partition.values(), partition);
            }
            if (all.size() > before) {
                write(dir.resolve(PARTITIONS_FILE), List.copyOf(all.values()));
                log.info("Added {} partitions to local table {}.{}", all.size() - before, database, table);
            }
            return null;
        });
    }

    @Override
    public List<PartitionSpec> partitions(String database, String table) {
        return io(() -> readPartitions(tableDir(table)));
    }

    @Override
    public TableDefinition table(String database, String table) {
        TableDefinition definition = io(() -> readTable(tableDir(table)));
        return definition == null || !definition.database().equals(database) ? null : definition;
    }

    private static void checkDatabase(TableDefinition existing, String database) {
        if (!existing.database().equals(database)) {
            throw new IllegalStateException("the local table " + existing.name() + " belongs to database "
                    + existing.database() + ", not " + database + ": one lake folder holds one database");
        }
    }

    private Path tableDir(String table) {
        if (table.isEmpty() || table.contains("/") || table.contains("\\") || table.startsWith(".")) {
            throw new IllegalArgumentException("not a valid table name: '" + table + "'");
        }
        return root.resolve(prefix).resolve(table).normalize();
    }

    private void locked(Path dir, FileLocks.IoSupplier<Void> action) {
        locks.withLock(dir.resolve(LOCK_FILE), action);
    }

    private static TableDefinition readTable(Path dir) throws IOException {
        try {
            return JSON.readValue(Files.readAllBytes(dir.resolve(TABLE_FILE)), TableDefinition.class);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static List<PartitionSpec> readPartitions(Path dir) throws IOException {
        try {
            return JSON.readValue(Files.readAllBytes(dir.resolve(PARTITIONS_FILE)), PARTITIONS);
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    private static void write(Path file, Object value) throws IOException {
        LocalFiles.replaceAtomically(file, JSON.writeValueAsBytes(value));
    }

    private static <T> T io(FileLocks.IoSupplier<T> read) {
        try {
            return read.get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
