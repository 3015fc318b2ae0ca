package io.lakestream.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakestream.catalog.PartitionSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.BatchCreatePartitionRequest;
import software.amazon.awssdk.services.glue.model.BatchCreatePartitionResponse;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.ConcurrentModificationException;
import software.amazon.awssdk.services.glue.model.ErrorDetail;
import software.amazon.awssdk.services.glue.model.GetTableRequest;
import software.amazon.awssdk.services.glue.model.GetTableResponse;
import software.amazon.awssdk.services.glue.model.PartitionError;
import software.amazon.awssdk.services.glue.model.StorageDescriptor;
import software.amazon.awssdk.services.glue.model.Table;

/** Glue failure modes moto does not produce: concurrent modification and per-entry batch errors. */
class GlueCatalogTest {

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final ScriptedGlue glue = new ScriptedGlue();
    private final GlueCatalog catalog = new GlueCatalog(glue,
            new GlueRetry(metrics, 3, Duration.ofMillis(1), Duration.ofMillis(5)));

    @Test
    void shouldRetryConcurrentModificationAndRetryOnlyTheFailedEntriesOfABatch() {
        glue.batchOutcomes.add(ConcurrentModificationException.builder().message("busy").build());
        glue.batchOutcomes.add(response(error(List.of("b"), "InternalServiceException"),
                error(List.of("c"), "AlreadyExistsException")));
        glue.batchOutcomes.add(response());

        catalog.addPartitions("db", "t", List.of(spec("a"), spec("b"), spec("c")));

        assertThat(glue.batches).containsExactly(List.of("a", "b", "c"), List.of("b"));
        assertThat(count("batch_create_partition", "retry")).isEqualTo(1);
        assertThat(count("batch_create_partition", "success")).isEqualTo(2);
        assertThat(count("batch_create_partition_entry", "retry")).isEqualTo(1);
        assertThat(count("batch_create_partition_entry", "already_exists")).isEqualTo(1);
    }

    @Test
    void shouldFailNamingThePartitionWhenAnEntryKeepsFailing() {
        for (int i = 0; i < 3; i++) {
            glue.batchOutcomes.add(response(error(List.of("b"), "ResourceNumberLimitExceededException")));
        }

        assertThatThrownBy(() -> catalog.addPartitions("db", "t", List.of(spec("b"))))
                .isInstanceOf(GlueCatalogException.class)
                .hasMessage("1 partitions of db.t could not be added after 3 attempts, e.g. [b]:"
                        + " ResourceNumberLimitExceededException limit");
    }

    @Test
    void shouldGiveUpOnConcurrentModificationAfterTheLastAttempt() {
        for (int i = 0; i < 3; i++) {
            glue.batchOutcomes.add(ConcurrentModificationException.builder().message("busy").build());
        }

        assertThatThrownBy(() -> catalog.addPartitions("db", "t", List.of(spec("a"))))
                .isInstanceOf(GlueCatalogException.class)
                .hasMessageContaining("failed to add partitions to db.t after retries");
        assertThat(count("batch_create_partition", "error")).isEqualTo(1);
    }

    private double count(String op, String outcome) {
        return metrics.counter(GlueRetry.METRIC, "op", op, "outcome", outcome).count();
    }

    private static PartitionSpec spec(String dt) {
        return new PartitionSpec(List.of(dt), "s3://lake/t/dt=" + dt + "/");
    }

    private static PartitionError error(List<String> values, String code) {
        return PartitionError.builder().partitionValues(values)
                .errorDetail(ErrorDetail.builder().errorCode(code).errorMessage("limit").build()).build();
    }

    private static BatchCreatePartitionResponse response(PartitionError... errors) {
        return BatchCreatePartitionResponse.builder().errors(errors).build();
    }

    /** GetTable returns one table partitioned by dt; BatchCreatePartition answers from a script. */
    private static final class ScriptedGlue implements GlueClient {
        final List<Object> batchOutcomes = new ArrayList<>();
        final List<List<String>> batches = new ArrayList<>();

        @Override
        public GetTableResponse getTable(GetTableRequest request) {
            return GetTableResponse.builder().table(Table.builder().name(request.name())
                    .partitionKeys(Column.builder().name("dt").type("string").build())
                    .storageDescriptor(StorageDescriptor.builder().location("s3://lake/t/").build()).build()).build();
        }

        @Override
        public BatchCreatePartitionResponse batchCreatePartition(BatchCreatePartitionRequest request) {
            Object next = batchOutcomes.remove(0);
            if (next instanceof RuntimeException e) {
                throw e;
            }
            batches.add(request.partitionInputList().stream().map(p -> p.values().get(0)).sorted().toList());
            return (BatchCreatePartitionResponse) next;
        }

        @Override
        public String serviceName() {
            return "glue";
        }

        @Override
        public void close() {
        }
    }
}
