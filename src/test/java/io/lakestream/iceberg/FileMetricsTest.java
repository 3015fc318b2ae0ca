package io.lakestream.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.FileFormat;
import io.lakestream.sink.FileStatistics;
import io.lakestream.sink.LandingEvent;
import io.lakestream.sink.TableCommitter;
import io.lakestream.sink.TableLayout;
import io.lakestream.sink.format.FormatWriter;
import io.lakestream.sink.format.WrittenFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.mapping.MappingUtil;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metrics a landing event carries, against those the committer reads back from the file's footer. */
class FileMetricsTest {

    @TempDir
    Path dir;

    private final IcebergLayout layout = new IcebergLayout(IcebergFixtures.PREFIX, IcebergFixtures.TABLE, "claim_ts",
            List.of(IcebergFixtures.hour()));

    @Test
    void shouldCarryTheMetricsAFooterReadGivesInTheIdsOfATableWhoseIdsDifferFromTheFiles() throws Exception {
        WrittenFile written = FormatWriter.of(FileFormat.PARQUET, "snappy")
                .writeFile(IcebergFixtures.V1, IcebergFixtures.rows(IcebergFixtures.V1, 0, 9));
        Path file = Files.write(dir.resolve("f.parquet"), written.content());
        FileStatistics statistics = layout.committer(() -> null).describe(file.toString(), written);
        // Through the landings topic's JSON, as the committer receives it.
        FileStatistics received = LandingEvent.fromJson(new LandingEvent("t", java.util.Map.of(), "k", "u", 10, "raw",
                0, 0, 9, 0, 1, false, statistics).toJson()).statistics();
        // A table that has grown a column before the file's: every ID differs from the file's own schema's.
        org.apache.iceberg.Schema table = IcebergSchemas.fromAvro(IcebergFixtures.withField(IcebergFixtures.V1,
                new org.apache.avro.Schema.Field("adjuster", org.apache.avro.Schema.create(
                        org.apache.avro.Schema.Type.STRING))));

        Metrics carried = FileMetrics.metrics(received, 10, table);
        Metrics read = ParquetFooter.read(org.apache.iceberg.Files.localInput(file.toFile()))
                .metrics(MetricsConfig.getDefault(), MappingUtil.create(table), table);

        assertThat(received.sizeBytes()).isEqualTo(Files.size(file));
        assertThat(new org.apache.avro.Schema.Parser().parse(received.schema())).isEqualTo(IcebergFixtures.V1);
        assertThat(carried.recordCount()).isEqualTo(10);
        assertThat(carried.columnSizes()).isEqualTo(read.columnSizes()).isNotEmpty();
        assertThat(carried.valueCounts()).isEqualTo(read.valueCounts()).isNotEmpty();
        assertThat(carried.nullValueCounts()).isEqualTo(read.nullValueCounts()).isNotEmpty();
        assertThat(carried.lowerBounds()).isEqualTo(read.lowerBounds()).isNotEmpty();
        assertThat(carried.upperBounds()).isEqualTo(read.upperBounds()).isNotEmpty();
        int ts = table.findField("claim_ts").fieldId();
        assertThat((Long) Conversions.fromByteBuffer(Types.TimestampType.withZone(), carried.lowerBounds().get(ts)))
                .as("microseconds").isEqualTo(IcebergFixtures.HOUR_10 * 1000);
        assertThat(table.findField("adjuster").fieldId()).isNotIn(carried.valueCounts().keySet());
    }

    @Test
    void shouldGiveNoStatisticsForAFormatWithoutAFooter() {
        WrittenFile avro = FormatWriter.of(FileFormat.AVRO, null)
                .writeFile(IcebergFixtures.V1, IcebergFixtures.rows(IcebergFixtures.V1, 0, 1));

        assertThat(avro.footer()).isNull();
        assertThat(layout.committer(() -> null).describe("u", avro)).isNull();
    }

    @Test
    void shouldLeaveAHiveTableToTheSinksCatalogCommitterAndAnIcebergTableToItsOwn() {
        TableCommitter hive = new TableCommitter() {
        };

        assertThat(TableLayout.hive(IcebergFixtures.PREFIX, "t", List.of("dt")).committer(() -> hive)).isSameAs(hive);
        assertThat(layout.committer(() -> hive)).isNotSameAs(hive);
    }
}
