package io.lakestream.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakestream.catalog.PartitionSpec;
import io.lakestream.catalog.TableDefinition;
import io.lakestream.catalog.TableDefinition.Column;
import io.lakestream.config.FileFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCatalogTest {

    private static final List<Column> COLUMNS = List.of(new Column("account_id", "string", null),
            new Column("amount", "decimal(12,2)", "claim amount"));

    @TempDir
    Path root;

    @Test
    void shouldKeepTheTableDefinitionInAFileNextToTheData() {
        var catalog = new LocalCatalog(root, "lakestream/");
        TableDefinition claims = table(COLUMNS);

        catalog.ensureTable(claims);
        catalog.ensureTable(claims);

        assertThat(root.resolve("lakestream/claims/" + LocalCatalog.TABLE_FILE)).exists();
        assertThat(new LocalCatalog(root, "lakestream/").table("lake", "claims")).isEqualTo(claims);
        assertThat(catalog.table("lake", "missing")).isNull();
        assertThat(catalog.table("other_db", "claims")).isNull();
    }

    @Test
    void shouldAppendNewColumnsAndNeverDropOne() {
        var catalog = new LocalCatalog(root, "");
        catalog.ensureTable(table(COLUMNS));
        var withStatus = new ArrayList<>(COLUMNS);
        withStatus.add(new Column("status", "string", null));

        catalog.ensureTable(table(withStatus));
        catalog.ensureTable(table(COLUMNS));

        assertThat(catalog.table("lake", "claims").columns()).extracting(Column::name)
                .containsExactly("account_id", "amount", "status");
        assertThat(catalog.table("lake", "claims").partitionKeys()).containsExactly("dt", "hour");
    }

    @Test
    void shouldAddPartitionsOnceEachAndTreatReAddingAsSuccess() {
        var catalog = new LocalCatalog(root, "");
        catalog.ensureTable(table(COLUMNS));

        catalog.addPartitions("lake", "claims", partitions(0, 150));
        catalog.addPartitions("lake", "claims", partitions(100, 200));

        assertThat(new LocalCatalog(root, "").partitions("lake", "claims")).containsExactlyElementsOf(partitions(0, 200));
    }

    @Test
    void shouldLoseNoPartitionWhenThreadsAddConcurrently() throws Exception {
        var catalog = new LocalCatalog(root, "");
        catalog.ensureTable(table(COLUMNS));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int from = i * 5;
                var writer = i % 2 == 0 ? catalog : new LocalCatalog(root, "");
                futures.add(pool.submit(() -> writer.addPartitions("lake", "claims", partitions(from, from + 5))));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(catalog.partitions("lake", "claims")).containsExactlyInAnyOrderElementsOf(partitions(0, 200));
    }

    @Test
    void shouldRefusePartitionsForAMissingTableOrWithTheWrongNumberOfValues() {
        var catalog = new LocalCatalog(root, "");

        assertThatThrownBy(() -> catalog.addPartitions("lake", "claims", partitions(0, 1)))
                .hasMessageContaining("table lake.claims does not exist");
        catalog.ensureTable(table(COLUMNS));
        assertThatThrownBy(() -> catalog.addPartitions("lake", "claims",
                List.of(new PartitionSpec(List.of("2024-01-01"), "x"))))
                .hasMessageContaining("does not match the partition keys [dt, hour]");
        assertThat(catalog.partitions("lake", "claims")).isEmpty();
    }

    private static TableDefinition table(List<Column> columns) {
        return new TableDefinition("lake", "claims", columns, List.of("dt", "hour"), FileFormat.PARQUET,
                "/tmp/lake/claims/");
    }

    private static List<PartitionSpec> partitions(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> new PartitionSpec(
                List.of(String.format("2024-01-%02d", i / 24 + 1), String.format("%02d", i % 24)),
                "claims/p" + i + "/")).toList();
    }
}
