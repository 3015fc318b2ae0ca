package io.lakestream.aws;

import io.lakestream.catalog.Catalog;
import io.lakestream.catalog.PartitionSpec;
import io.lakestream.catalog.TableDefinition;
import io.lakestream.config.CatalogConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.AccessDeniedException;
import software.amazon.awssdk.services.glue.model.AlreadyExistsException;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;
import software.amazon.awssdk.services.glue.model.StorageDescriptor;
import software.amazon.awssdk.services.glue.model.Table;
import software.amazon.awssdk.services.glue.model.TableInput;

/**
 * {@link Catalog} on the Glue Data Catalog. The client is injected (built by {@link AwsClients}) and closed by
 * {@link #close()}. Tables are EXTERNAL_TABLEs with all-string Hive partition keys; partitions are added in
 * batches of at most {@value GluePartitions#BATCH_SIZE}.
 */
public final class GlueCatalog implements Catalog {

    private static final Logger log = LoggerFactory.getLogger(GlueCatalog.class);

    private final GlueClient glue;
    private final GlueRetry retry;
    private final GluePartitions partitions;
    /** Tables known to match their last ensured definition: repeated ensureTable calls cost no Glue call. */
    private final Map<String, TableDefinition> ensured = new ConcurrentHashMap<>();
    private final Set<String> databases = ConcurrentHashMap.newKeySet();

    /** @param metrics where {@code lakestream.catalog.calls} are counted, or null */
    public GlueCatalog(GlueClient glue, MeterRegistry metrics) {
        this(glue, GlueRetry.standard(metrics));
    }

    GlueCatalog(GlueClient glue, GlueRetry retry) {
        this.glue = Objects.requireNonNull(glue, "glue");
        this.retry = retry;
        this.partitions = new GluePartitions(glue, retry);
    }

    /** The catalog {@code config} describes ({@code catalog.type = glue}), with a client from the default chain. */
    public static GlueCatalog from(CatalogConfig config, MeterRegistry metrics) {
        return new GlueCatalog(AwsClients.of(config.region(), config.endpoint()).glue(), metrics);
    }

    @Override
    public void ensureTable(TableDefinition table) {
        String id = table.database() + "." + table.name();
        if (table.equals(ensured.get(id))) {
            return;
        }
        try {
            ensureDatabase(table.database());
            Table existing = getTable(table.database(), table.name());
            if (existing == null && createTable(table)) {
                log.info("Created Glue table {} ({} columns, partition keys {}, {})", id, table.columns().size(),
                        table.partitionKeys(), table.format());
            } else {
                addMissingColumns(table, existing != null ? existing : getTable(table.database(), table.name()));
            }
            ensured.put(id, table);
        } catch (SdkException e) {
            throw failure("ensure table", id, e);
        }
    }

    private void ensureDatabase(String database) {
        if (databases.contains(database)) {
            return;
        }
        try {
            retry.call("create_database", database, () -> glue.createDatabase(b -> b.databaseInput(d -> d
                    .name(database).description("lakestream tables"))));
            log.info("Created Glue database {}", database);
        } catch (AlreadyExistsException e) {
            log.debug("Glue database {} already exists", database);
        }
        databases.add(database);
    }

    /** @return false if another instance created it first */
    private boolean createTable(TableDefinition table) {
        GlueStorageFormats format = GlueStorageFormats.of(table.format());
        TableInput input = TableInput.builder()
                .name(table.name())
                .tableType("EXTERNAL_TABLE")
                .parameters(format.tableParameters())
                .partitionKeys(table.partitionKeys().stream()
                        .map(key -> Column.builder().name(key).type("string").build()).toList())
                .storageDescriptor(format.storageDescriptor(table.name(), columns(table.columns()), table.location()))
                .build();
        try {
            retry.call("create_table", table.name(), () -> glue.createTable(b -> b.databaseName(table.database())
                    .tableInput(input)));
            return true;
        } catch (AlreadyExistsException e) {
            return false;
        }
    }

    /** Appends declared columns the table lacks (a new schema version adding fields); never drops any. */
    private void addMissingColumns(TableDefinition declared, Table existing) {
        StorageDescriptor sd = existing.storageDescriptor();
        Set<String> present = sd.columns().stream().map(c -> c.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        List<Column> missing = columns(declared.columns()).stream()
                .filter(c -> !present.contains(c.name().toLowerCase(Locale.ROOT))).toList();
        if (missing.isEmpty()) {
            return;
        }
        List<Column> columns = new ArrayList<>(sd.columns());
        columns.addAll(missing);
        StorageDescriptor.Builder updated = sd.toBuilder().columns(columns);
        if (sd.serdeInfo() != null) {
            updated.serdeInfo(sd.serdeInfo().toBuilder().parameters(GlueStorageFormats.withColumns(
                    sd.serdeInfo().parameters(), existing.name(), columns)).build());
        }
        TableInput input = TableInput.builder()
                .name(existing.name())
                .description(existing.description())
                .owner(existing.owner())
                .retention(existing.retention())
                .tableType(existing.tableType())
                .parameters(existing.parameters())
                .partitionKeys(existing.partitionKeys())
                .storageDescriptor(updated.build())
                .build();
        retry.call("update_table", existing.name(), () -> glue.updateTable(b -> b
                .databaseName(declared.database()).tableInput(input)));
        log.info("Added columns {} to Glue table {}.{}", missing.stream().map(Column::name).toList(),
                declared.database(), declared.name());
    }

    @Override
    public void addPartitions(String database, String table, List<PartitionSpec> specs) {
        if (specs.isEmpty()) {
            return;
        }
        String id = database + "." + table;
        try {
            Table existing = getTable(database, table);
            if (existing == null) {
                throw new GlueCatalogException("table " + id + " does not exist in the Glue Data Catalog:"
                        + " ensureTable must run before partitions are added");
            }
            partitions.add(existing, database, specs);
        } catch (SdkException e) {
            throw failure("add partitions to", id, e);
        }
    }

    @Override
    public List<PartitionSpec> partitions(String database, String table) {
        try {
            return partitions.list(database, table);
        } catch (SdkException e) {
            throw failure("list partitions of", database + "." + table, e);
        }
    }

    @Override
    public TableDefinition table(String database, String table) {
        try {
            Table t = getTable(database, table);
            if (t == null) {
                return null;
            }
            StorageDescriptor sd = t.storageDescriptor();
            return new TableDefinition(database, t.name(),
                    sd.columns().stream().map(c -> new TableDefinition.Column(c.name(), c.type(), c.comment()))
                            .toList(),
                    t.partitionKeys().stream().map(Column::name).toList(),
                    GlueStorageFormats.fromClassification(t.parameters().get(GlueStorageFormats.CLASSIFICATION)),
                    sd.location());
        } catch (SdkException e) {
            throw failure("read table", database + "." + table, e);
        }
    }

    private Table getTable(String database, String table) {
        try {
            return retry.call("get_table", table, () -> glue.getTable(b -> b.databaseName(database).name(table)))
                    .table();
        } catch (EntityNotFoundException e) {
            return null;
        }
    }

    private static List<Column> columns(List<TableDefinition.Column> columns) {
        return columns.stream().map(c -> Column.builder().name(c.name()).type(c.type()).comment(c.comment()).build())
                .toList();
    }

    static GlueCatalogException failure(String op, String target, SdkException e) {
        if (e instanceof AccessDeniedException) {
            return new GlueCatalogException("access denied to " + op + " " + target + ": grant the credentials in use"
                    + " glue:GetDatabase, glue:CreateDatabase, glue:GetTable, glue:CreateTable, glue:UpdateTable,"
                    + " glue:BatchCreatePartition and glue:GetPartitions on the catalog, database and table", e);
        }
        return new GlueCatalogException("Glue Data Catalog failed to " + op + " " + target + " after retries: "
                + e.getMessage(), e);
    }

    @Override
    public void close() {
        glue.close();
    }
}
