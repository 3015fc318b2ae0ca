package io.lakestream.iceberg;

import io.lakestream.config.TableFormatConfig;
import io.lakestream.sink.LandingEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.mapping.MappingUtil;
import org.apache.iceberg.mapping.NameMapping;
import org.apache.iceberg.mapping.NameMappingParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends landed files to one Iceberg table per call, exactly once. The only writer of its tables (one committer per
 * table: the task that owns the table's landings partition), it records in every snapshot's summary the landings
 * offsets it covers ({@value #LANDINGS_OFFSETS}: {@code partition:offset,...}, the highest offset per landings
 * partition). So a batch replayed after a crash skips what a snapshot already covers, and a file announced twice
 * (a replayed flush) is appended once: before appending a file the committer looks it up among the current
 * snapshot's files of the file's own partition (manifests pruned by their partition summaries, so a restart on a
 * large table reads the manifests holding that partition only, not the whole table), remembered for the partitions seen lately.
 */
public final class IcebergCommitter {

    /** Snapshot summary key: highest landings offset covered, per landings partition. */
    public static final String LANDINGS_OFFSETS = "lakestream.landings-offsets";
    private static final Logger LOG = LoggerFactory.getLogger(IcebergCommitter.class);

    /** One landing event and where it was read. */
    public record Landing(int partition, long offset, LandingEvent event) {
    }

    private final Catalog catalog;
    private final org.apache.iceberg.io.FileIO io;
    private final Namespace namespace;
    private final TableFormatConfig formats;
    private final Function<String, String> tableLocation;
    /** Per table, the committed files of recently seen partitions (by partition path), least recently used first. */
    private final Map<String, Map<String, Set<String>>> knownFiles = new HashMap<>();
    /** Partitions remembered per table; a landing in another costs one read of the manifests holding it. */
    private static final int REMEMBERED_PARTITIONS = 256;

    /**
     * @param io            reads the landed files' footers (the catalog's file IO)
     * @param tableLocation a table's location (its objects' URI prefix, without the trailing '/')
     */
    public IcebergCommitter(Catalog catalog, org.apache.iceberg.io.FileIO io, String database, TableFormatConfig formats,
                            Function<String, String> tableLocation) {
        this.catalog = catalog;
        this.io = io;
        this.namespace = Namespace.of(database);
        this.formats = formats;
        this.tableLocation = tableLocation;
    }

    /**
     * Commits the landings of one table not yet covered by its snapshots, as one append.
     *
     * @return the number of files appended (0 when everything was covered already)
     */
    public int commit(String tableName, List<Landing> landings) {
        TableFormatConfig.IcebergTableConfig settings = formats.iceberg(tableName);
        if (settings == null || landings.isEmpty()) {
            return 0;
        }
        Table table = loadTable(tableName);
        Map<Integer, Long> covered = table == null ? new TreeMap<>() : coveredOffsets(table);
        Map<String, Landing> fresh = new LinkedHashMap<>();
        Map<Integer, Long> upTo = new TreeMap<>(covered);
        for (Landing l : landings) {
            if (l.offset() <= covered.getOrDefault(l.partition(), -1L)) {
                continue;
            }
            upTo.merge(l.partition(), l.offset(), Math::max);
            if (table == null || !knownFiles(tableName, table, l.event()).contains(l.event().uri())) {
                fresh.putIfAbsent(l.event().uri(), l);
            }
        }
        if (fresh.isEmpty()) {
            LOG.info("iceberg table {}.{}: {} landings already committed; nothing to do", namespace, tableName,
                    landings.size());
            return 0;
        }
        Map<String, ParquetFooter> footers = new LinkedHashMap<>();
        for (String uri : fresh.keySet()) {
            footers.put(uri, ParquetFooter.read(io.newInputFile(uri)));
        }
        if (table == null) {
            table = createTable(tableName, settings, footers.values().iterator().next());
        }
        for (org.apache.avro.Schema avro : footers.values().stream().map(ParquetFooter::avroSchema).distinct().toList()) {
            if (IcebergSchemas.evolve(table, avro, namespace + "." + tableName)) {
                table.updateProperties().set(TableProperties.DEFAULT_NAME_MAPPING,
                        NameMappingParser.toJson(MappingUtil.create(table.schema()))).commit();
                LOG.info("iceberg table {}.{}: added columns, schema now {}", namespace, tableName,
                        table.schema().columns().stream().map(c -> c.name()).toList());
            }
        }
        NameMapping mapping = MappingUtil.create(table.schema());
        MetricsConfig metricsConfig = MetricsConfig.forTable(table);
        AppendFiles append = table.newAppend();
        List<DataFile> files = new ArrayList<>();
        for (Map.Entry<String, Landing> e : fresh.entrySet()) {
            ParquetFooter footer = footers.get(e.getKey());
            DataFile file = DataFiles.builder(table.spec())
                    .withPath(e.getKey())
                    .withFormat(FileFormat.PARQUET)
                    .withFileSizeInBytes(footer.length())
                    .withMetrics(footer.metrics(metricsConfig, mapping, table.schema()))
                    .withPartition(partitionOf(table, e.getValue().event()))
                    .build();
            files.add(file);
            append.appendFile(file);
        }
        append.set(LANDINGS_OFFSETS, format(upTo));
        append.commit();
        for (Landing l : fresh.values()) {
            knownFiles(tableName, table, l.event()).add(l.event().uri());
        }
        LOG.info("iceberg table {}.{}: committed {} files ({} rows) in snapshot {}, landings offsets {}", namespace,
                tableName, files.size(), files.stream().mapToLong(DataFile::recordCount).sum(),
                table.currentSnapshot().snapshotId(), format(upTo));
        return files.size();
    }

    private Table loadTable(String name) {
        try {
            return catalog.loadTable(TableIdentifier.of(namespace, name));
        } catch (NoSuchTableException e) {
            return null;
        }
    }

    private Table createTable(String name, TableFormatConfig.IcebergTableConfig settings, ParquetFooter first) {
        if (catalog instanceof SupportsNamespaces ns && !ns.namespaceExists(namespace)) {
            try {
                ns.createNamespace(namespace);
            } catch (AlreadyExistsException e) {
                // another process created it first
            }
        }
        org.apache.iceberg.Schema schema = IcebergSchemas.fromAvro(first.avroSchema());
        Map<String, String> props = Map.of(TableProperties.FORMAT_VERSION, "2",
                TableProperties.DEFAULT_FILE_FORMAT, "parquet");
        try {
            // Files carry no Iceberg field IDs: readers map their columns by name. The mapping is built from the
            // created table's schema, whose IDs the catalog assigns, in the same transaction as the table.
            Transaction create = catalog.newCreateTableTransaction(TableIdentifier.of(namespace, name), schema,
                    IcebergLayout.spec(schema, settings.partitionSpec()), tableLocation.apply(name), props);
            create.updateProperties().set(TableProperties.DEFAULT_NAME_MAPPING,
                    NameMappingParser.toJson(MappingUtil.create(create.table().schema()))).commit();
            create.commitTransaction();
            Table table = catalog.loadTable(TableIdentifier.of(namespace, name));
            LOG.info("iceberg table {}.{}: created at {} with spec {}", namespace, name, table.location(),
                    table.spec());
            return table;
        } catch (AlreadyExistsException e) {
            return catalog.loadTable(TableIdentifier.of(namespace, name));
        }
    }

    /** The landings offsets covered by the newest snapshot that records them (walking back through ancestors). */
    static Map<Integer, Long> coveredOffsets(Table table) {
        Map<Integer, Long> covered = new TreeMap<>();
        for (Snapshot s = table.currentSnapshot(); s != null;
             s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
            String value = s.summary().get(LANDINGS_OFFSETS);
            if (value != null) {
                for (String part : value.split(",")) {
                    String[] kv = part.split(":");
                    covered.put(Integer.parseInt(kv[0]), Long.parseLong(kv[1]));
                }
                break;
            }
        }
        return covered;
    }

    /** The partition tuple of a landed file in the table's spec. */
    private static StructLike partitionOf(Table table, LandingEvent event) {
        return IcebergLayout.partition(table.spec(), new ArrayList<>(event.partition().values()));
    }

    /** The committed files of the landing's partition (read from the manifests at first need). */
    private Set<String> knownFiles(String name, Table table, LandingEvent event) {
        StructLike partition = partitionOf(table, event);
        String path = table.spec().partitionToPath(partition);
        Map<String, Set<String>> partitions = knownFiles.computeIfAbsent(name, n -> new LinkedHashMap<>(16, 0.75f,
                true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
                return size() > REMEMBERED_PARTITIONS;
            }
        });
        Set<String> known = partitions.get(path);
        if (known == null) {
            known = IcebergRows.filesIn(table, partition);
            partitions.put(path, known);
        }
        return known;
    }

    static String format(Map<Integer, Long> offsets) {
        StringBuilder b = new StringBuilder();
        offsets.forEach((p, o) -> b.append(b.length() == 0 ? "" : ",").append(p).append(':').append(o));
        return b.toString();
    }
}
