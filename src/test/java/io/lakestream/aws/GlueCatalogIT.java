package io.lakestream.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakestream.catalog.PartitionSpec;
import io.lakestream.catalog.TableDefinition;
import io.lakestream.catalog.TableDefinition.Column;
import io.lakestream.config.CatalogConfig;
import io.lakestream.config.FileFormat;
import io.lakestream.testing.MotoExtension;
import io.lakestream.testing.MotoServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Table;

@ExtendWith(MotoExtension.class)
class GlueCatalogIT {

    private static final String DB = "claims_lake";
    private static final List<Column> COLUMNS = List.of(
            new Column("account_id", "string", null),
            new Column("amount", "decimal(12,2)", "claim amount"),
            new Column("claim_ts", "timestamp", null),
            new Column("_source_offset", "bigint", "lineage"));

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private GlueClient glue;
    private GlueCatalog catalog;

    @BeforeEach
    void clients(MotoServer moto) {
        glue = moto.clients().glue();
        catalog = new GlueCatalog(moto.clients().glue(), metrics);
    }

    @AfterEach
    void close() {
        catalog.close();
        glue.close();
    }

    @ParameterizedTest
    @CsvSource({
        "PARQUET, org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe, "
                + "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat, parquet",
        "CSV,     org.apache.hadoop.hive.serde2.OpenCSVSerde, org.apache.hadoop.mapred.TextInputFormat, csv",
        "AVRO,    org.apache.hadoop.hive.serde2.avro.AvroSerDe, "
                + "org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat, avro",
        "JSONL,   org.openx.data.jsonserde.JsonSerDe, org.apache.hadoop.mapred.TextInputFormat, json"})
    void shouldCreateDatabaseAndExternalTableWithTheFormatsSerde(FileFormat format, String serde, String inputFormat,
                                                                 String classification) {
        catalog.ensureTable(table("claims", format, COLUMNS));

        Table table = glue.getTable(b -> b.databaseName(DB).name("claims")).table();
        assertThat(table.tableType()).isEqualTo("EXTERNAL_TABLE");
        assertThat(table.parameters()).containsEntry("classification", classification);
        assertThat(table.partitionKeys()).extracting(c -> c.name() + ":" + c.type())
                .containsExactly("dt:string", "hour:string");
        assertThat(table.storageDescriptor().columns()).extracting(c -> c.name() + ":" + c.type())
                .containsExactly("account_id:string", "amount:decimal(12,2)", "claim_ts:timestamp",
                        "_source_offset:bigint");
        assertThat(table.storageDescriptor().serdeInfo().serializationLibrary()).isEqualTo(serde);
        assertThat(table.storageDescriptor().inputFormat()).isEqualTo(inputFormat);
        assertThat(table.storageDescriptor().location()).isEqualTo("s3://lake/lakestream/claims/");
        if (format == FileFormat.CSV) {
            assertThat(table.parameters()).containsEntry("skip.header.line.count", "1");
        }
        if (format == FileFormat.AVRO) {
            Schema literal = new Schema.Parser().parse(
                    table.storageDescriptor().serdeInfo().parameters().get("avro.schema.literal"));
            assertThat(literal.getFields()).extracting(Schema.Field::name)
                    .containsExactly("account_id", "amount", "claim_ts", "_source_offset");
            assertThat(literal.getField("amount").schema().getTypes().get(1).getLogicalType())
                    .isEqualTo(LogicalTypes.decimal(12, 2));
        }
        assertThat(catalog.table(DB, "claims")).isEqualTo(table("claims", format, COLUMNS));
    }

    @Test
    void shouldAddPartitionsInBatchesOfAtMostOneHundredAndAcceptReAdding() {
        catalog.ensureTable(table("claims", FileFormat.PARQUET, COLUMNS));
        List<PartitionSpec> first = partitions(0, 250);

        catalog.addPartitions(DB, "claims", first);
        catalog.addPartitions(DB, "claims", partitions(240, 260));

        assertThat(metrics.counter(GlueRetry.METRIC, "op", "batch_create_partition", "outcome", "success").count())
                .as("250 partitions in 3 batches, then 20 in one").isEqualTo(4);
        assertThat(metrics.counter(GlueRetry.METRIC, "op", "batch_create_partition_entry",
                "outcome", "already_exists").count()).isEqualTo(10);
        assertThat(catalog.partitions(DB, "claims")).containsExactlyInAnyOrderElementsOf(partitions(0, 260));
        var stored = glue.getPartition(b -> b.databaseName(DB).tableName("claims")
                .partitionValues("2024-01-01", "07")).partition();
        assertThat(stored.storageDescriptor().serdeInfo().serializationLibrary())
                .isEqualTo("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
    }

    @Test
    void shouldAppendNewColumnsKeepingPartitionKeysAndNeverDropColumns(MotoServer moto) {
        catalog.ensureTable(table("claims", FileFormat.JSONL, COLUMNS));
        var withStatus = new java.util.ArrayList<>(COLUMNS);
        withStatus.add(new Column("status", "string", null));

        try (var otherInstance = GlueCatalog.from(new CatalogConfig("glue", DB, MotoServer.REGION, moto.endpoint()),
                null)) {
            otherInstance.ensureTable(table("claims", FileFormat.JSONL, withStatus));
            otherInstance.ensureTable(table("claims", FileFormat.JSONL, COLUMNS));
        }

        Table table = glue.getTable(b -> b.databaseName(DB).name("claims")).table();
        assertThat(table.storageDescriptor().columns()).extracting(c -> c.name())
                .containsExactly("account_id", "amount", "claim_ts", "_source_offset", "status");
        assertThat(table.partitionKeys()).extracting(c -> c.name()).containsExactly("dt", "hour");
        assertThat(table.storageDescriptor().serdeInfo().parameters())
                .containsEntry("paths", "account_id,amount,claim_ts,_source_offset,status");
        assertThat(table.parameters()).containsEntry("classification", "json");
    }

    @Test
    void shouldReportAMissingTableAsNullAndRefusePartitionsForIt() {
        assertThat(catalog.table(DB, "nothing")).isNull();
        assertThatThrownBy(() -> catalog.addPartitions(DB, "nothing", partitions(0, 1)))
                .isInstanceOf(GlueCatalogException.class)
                .hasMessageContaining("table claims_lake.nothing does not exist");
    }

    private static TableDefinition table(String name, FileFormat format, List<Column> columns) {
        return new TableDefinition(DB, name, columns, List.of("dt", "hour"), format,
                "s3://lake/lakestream/" + name + "/");
    }

    private static List<PartitionSpec> partitions(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> {
            String dt = String.format("2024-01-%02d", i / 24 + 1);
            String hour = String.format("%02d", i % 24);
            return new PartitionSpec(List.of(dt, hour), "s3://lake/lakestream/claims/dt=" + dt + "/hour=" + hour + "/");
        }).toList();
    }
}
