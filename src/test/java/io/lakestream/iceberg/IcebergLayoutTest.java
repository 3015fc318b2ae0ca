package io.lakestream.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.TableFormatConfig.PartitionField;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.transforms.Transforms;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Partition values of Iceberg tables: computed as Iceberg's transforms do, and turned back into partition tuples. */
class IcebergLayoutTest {

    private static final List<PartitionField> SPEC = List.of(new PartitionField("day", "claim_ts", 0),
            new PartitionField("identity", "claim_id", 0), new PartitionField("bucket", "claim_id", 8),
            new PartitionField("identity", "amount", 0));

    private final IcebergLayout layout = new IcebergLayout("p/", "claims", "claim_ts", SPEC);

    @Test
    void shouldComputeValuesLikeIcebergsTransformsAndRebuildTheTuple() {
        GenericRecord row = IcebergFixtures.rows(IcebergFixtures.V1, 7, 7).get(0);
        long eventTime = IcebergFixtures.HOUR_10 + 7000;

        List<String> values = layout.partitionValues(eventTime, () -> row);

        int bucket = Transforms.<String>bucket(8).bind(Types.StringType.get()).apply("c7");
        assertThat(values).containsExactly("2024-05-01", "c7", Integer.toString(bucket), "7.05");
        assertThat(layout.partitionNames()).containsExactly("claim_ts_day", "claim_id", "claim_id_bucket", "amount");
        assertThat(layout.byEventHourOnly()).isFalse();
        assertThat(layout.partitionPath(values))
                .isEqualTo("p/claims/data/claim_ts_day=2024-05-01/claim_id=c7/claim_id_bucket=" + bucket
                        + "/amount=7.05/");

        PartitionSpec spec = IcebergLayout.spec(IcebergSchemas.fromAvro(IcebergFixtures.V1), SPEC);
        StructLike tuple = IcebergLayout.partition(spec, values);
        assertThat(tuple.get(0, Integer.class)).isEqualTo((int) LocalDate.of(2024, 5, 1).toEpochDay());
        assertThat(tuple.get(1, String.class)).isEqualTo("c7");
        assertThat(tuple.get(2, Integer.class)).isEqualTo(bucket);
        assertThat(tuple.get(3, BigDecimal.class)).isEqualTo(new BigDecimal("7.05"));
    }

    @Test
    void shouldListExactlyTheFilesOfOnePartition(@TempDir java.nio.file.Path dir) throws Exception {
        org.apache.iceberg.Schema schema = IcebergSchemas.fromAvro(IcebergFixtures.V1);
        try (IcebergCatalogs.Opened catalog = IcebergCatalogs.local(dir)) {
            for (List<PartitionField> fields : List.of(SPEC, List.of(IcebergFixtures.hour()))) {
                org.apache.iceberg.catalog.TableIdentifier id = org.apache.iceberg.catalog.TableIdentifier.of("db",
                        "t" + fields.size());
                org.apache.iceberg.Table table = catalog.catalog().buildTable(id, schema)
                        .withPartitionSpec(IcebergLayout.spec(schema, fields)).create();
                IcebergLayout tableLayout = new IcebergLayout("p/", "t", "claim_ts", fields);
                java.util.Map<String, StructLike> partitions = new java.util.LinkedHashMap<>();
                org.apache.iceberg.AppendFiles append = table.newAppend();
                for (long o : new long[] {7, 8, 3600 * 30 + 7, 5000}) {
                    GenericRecord row = IcebergFixtures.rows(IcebergFixtures.V1, o, o).get(0);
                    StructLike tuple = IcebergLayout.partition(table.spec(), tableLayout.partitionValues(
                            IcebergFixtures.HOUR_10 + o * 1000, () -> row));
                    String path = dir.resolve("f" + o + ".parquet").toString();
                    partitions.put(path, tuple);
                    append.appendFile(org.apache.iceberg.DataFiles.builder(table.spec()).withPath(path)
                            .withFormat(org.apache.iceberg.FileFormat.PARQUET).withFileSizeInBytes(10)
                            .withRecordCount(1).withPartition(tuple).build());
                }
                append.commit();
                java.util.Set<String> distinct = new java.util.HashSet<>();
                partitions.forEach((path, tuple) -> {
                    java.util.Set<String> planned = IcebergRows.filesIn(table, tuple);
                    String key = table.spec().partitionToPath(tuple);
                    List<String> samePartition = partitions.entrySet().stream().filter(e -> table.spec()
                            .partitionToPath(e.getValue()).equals(key)).map(java.util.Map.Entry::getKey).toList();
                    assertThat(planned).as("%s, partition %s", fields, key)
                            .containsExactlyInAnyOrderElementsOf(samePartition);
                    distinct.add(key);
                });
                assertThat(distinct).as("the files lie in more than one partition").hasSizeGreaterThan(1);
            }
        }
    }

    @Test
    void shouldTakeHourPartitionsFromEventTimeWithoutDeserializing() {
        IcebergLayout hourly = new IcebergLayout("", "claims", "claim_ts", List.of(IcebergFixtures.hour()));

        List<String> values = hourly.partitionValues(IcebergFixtures.HOUR_10 + 3_599_999L, () -> {
            throw new AssertionError("the record is not needed");
        });

        assertThat(values).containsExactly("2024-05-01-10");
        assertThat(hourly.byEventHourOnly()).isTrue();
        PartitionSpec spec = IcebergLayout.spec(IcebergSchemas.fromAvro(IcebergFixtures.V1),
                List.of(IcebergFixtures.hour()));
        assertThat(IcebergLayout.partition(spec, values).get(0, Integer.class))
                .isEqualTo((int) (IcebergFixtures.HOUR_10 / 3_600_000L));
    }

    @Test
    void shouldKeepNullIdentityValuesNull() {
        GenericData.Record row = (GenericData.Record) IcebergFixtures.rows(IcebergFixtures.V2, 1, 1).get(0);
        row.put("adjuster", null);
        IcebergLayout byAdjuster = new IcebergLayout("", "claims", "claim_ts",
                List.of(new PartitionField("identity", "adjuster", 0)));

        assertThat(byAdjuster.partitionValues(0, () -> row)).containsExactly((String) null);
        assertThat(byAdjuster.partitionPath(java.util.Arrays.asList((String) null)))
                .isEqualTo("claims/data/adjuster=__HIVE_DEFAULT_PARTITION__/");
    }
}
