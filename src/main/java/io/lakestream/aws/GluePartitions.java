package io.lakestream.aws;

import io.lakestream.catalog.PartitionSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.BatchCreatePartitionResponse;
import software.amazon.awssdk.services.glue.model.PartitionError;
import software.amazon.awssdk.services.glue.model.PartitionInput;
import software.amazon.awssdk.services.glue.model.Table;

/**
 * Partition calls of {@link GlueCatalog}. BatchCreatePartition reports per-partition failures in its
 * {@code errors} list instead of throwing: AlreadyExists there is success (a replayed flush), other entries are
 * retried with backoff, and what still fails after the last attempt fails the call.
 */
final class GluePartitions {

    static final int BATCH_SIZE = 100;
    private static final Logger log = LoggerFactory.getLogger(GluePartitions.class);

    private final GlueClient glue;
    private final GlueRetry retry;

    GluePartitions(GlueClient glue, GlueRetry retry) {
        this.glue = glue;
        this.retry = retry;
    }

    void add(Table table, String database, List<PartitionSpec> specs) {
        for (int from = 0; from < specs.size(); from += BATCH_SIZE) {
            addBatch(table, database, specs.subList(from, Math.min(specs.size(), from + BATCH_SIZE)));
        }
    }

    private void addBatch(Table table, String database, List<PartitionSpec> batch) {
        Map<List<String>, PartitionInput> pending = new HashMap<>();
        batch.forEach(spec -> pending.put(spec.values(), input(table, spec)));
        for (int attempt = 1; ; attempt++) {
            List<PartitionInput> inputs = List.copyOf(pending.values());
            BatchCreatePartitionResponse response = retry.call("batch_create_partition", table.name(),
                    () -> glue.batchCreatePartition(b -> b.databaseName(database).tableName(table.name())
                            .partitionInputList(inputs)));
            int created = inputs.size() - response.errors().size();
            List<PartitionError> failed = new ArrayList<>();
            pending.clear();
            for (PartitionError error : response.errors()) {
                if ("AlreadyExistsException".equals(error.errorDetail().errorCode())) {
                    retry.count("batch_create_partition_entry", "already_exists");
                } else {
                    failed.add(error);
                    pending.put(error.partitionValues(), inputs.stream()
                            .filter(i -> i.values().equals(error.partitionValues())).findFirst().orElseThrow());
                }
            }
            log.info("Added {} partitions to {}.{} ({} already there, {} to retry)", created, database, table.name(),
                    response.errors().size() - failed.size(), failed.size());
            if (failed.isEmpty()) {
                return;
            }
            PartitionError first = failed.get(0);
            if (attempt >= retry.attempts()) {
                retry.count("batch_create_partition_entry", "error");
                throw new GlueCatalogException(failed.size() + " partitions of " + database + "." + table.name()
                        + " could not be added after " + attempt + " attempts, e.g. " + first.partitionValues()
                        + ": " + first.errorDetail().errorCode() + " " + first.errorDetail().errorMessage());
            }
            retry.count("batch_create_partition_entry", "retry");
            GlueRetry.sleep(retry.backoff(attempt));
        }
    }

    private static PartitionInput input(Table table, PartitionSpec spec) {
        if (spec.values().size() != table.partitionKeys().size()) {
            throw new IllegalArgumentException("partition " + spec.values() + " has " + spec.values().size()
                    + " values but table " + table.name() + " has partition keys " + table.partitionKeys().stream()
                    .map(software.amazon.awssdk.services.glue.model.Column::name).toList());
        }
        return PartitionInput.builder()
                .values(spec.values())
                .parameters(table.parameters())
                .storageDescriptor(table.storageDescriptor().toBuilder().location(spec.location()).build())
                .build();
    }

    List<PartitionSpec> list(String database, String table) {
        List<PartitionSpec> specs = new ArrayList<>();
        retry.call("get_partitions", table, () -> {
            specs.clear();
            glue.getPartitionsPaginator(b -> b.databaseName(database).tableName(table)).stream()
                    .flatMap(page -> page.partitions().stream())
                    .forEach(p -> specs.add(new PartitionSpec(List.copyOf(p.values()), p.storageDescriptor().location())));
            return specs;
        });
        return specs;
    }
}
