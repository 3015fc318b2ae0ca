package io.lakestream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.ApplicationConfig;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.MaintenanceConfig;
import io.lakestream.config.PipelineConfig;
import io.lakestream.config.TableFormatConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration each variant runs lakestream with: config/claims.yaml on the benchmark's topic. */
class LakestreamEndToEndRunTest {

    @TempDir
    Path work;

    private LakestreamConfig configOf(Variant variant) {
        return LakestreamEndToEndRun.config(new EndToEndRun.Request("localhost:9092", "bench.claims.raw.200b", 4, 1000,
                200_000, Instant.parse("2024-05-01T00:00:00Z"), Instant.parse("2024-05-01T00:16:40Z"), variant, work,
                Optional.empty()));
    }

    @Test
    void shouldLandTheRecordsTableAloneAsAnIcebergTableInTheLocalCatalog() {
        LakestreamConfig c = configOf(Variant.EOS_ICEBERG_RECORDS);

        assertThat(c.pipelines().get(0).aggregations()).isEmpty();
        assertThat(c.tableFormats().icebergTables()).containsOnlyKeys("claims");
        assertThat(c.catalog().type()).isEqualTo("local");
        assertThat(c.lake().localDir()).isEqualTo(work.resolve("lake"));
        assertThat(c.application().processingGuarantee()).isEqualTo(ApplicationConfig.ProcessingGuarantee.EXACTLY_ONCE);
        // the shipped commit interval and maintenance: a user's first run, and the Iceberg sink's 10 s commits
        assertThat(c.tableFormats().commitInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.tableFormats().maintenance()).isEqualTo(MaintenanceConfig.DEFAULTS);
    }

    @Test
    void shouldLandBothTablesAsIcebergTablesWithTheAggregation() {
        LakestreamConfig c = configOf(Variant.EOS_ICEBERG);

        PipelineConfig p = c.pipelines().get(0);
        assertThat(p.aggregations()).extracting(a -> a.table()).containsExactly("claims_by_account");
        assertThat(c.tableFormats().icebergTables()).containsOnlyKeys("claims", "claims_by_account");
        assertThat(LakestreamEndToEndRun.tableNames(p)).containsExactly("claims", "claims_by_account");
        assertThat(p.source().topics()).containsExactly("bench.claims.raw.200b");
    }

    @Test
    void shouldKeepTheOtherVariantsHiveStyle() {
        LakestreamConfig c = configOf(Variant.EOS_LOCAL);

        assertThat(c.tableFormats().icebergTables()).isEmpty();
        assertThat(c.tableFormats().defaultFormat()).isEqualTo(TableFormatConfig.HIVE);
        assertThat(LakestreamEndToEndRun.tableNames(c.pipelines().get(0)))
                .containsExactly("claims", "claims_by_account");
    }
}
