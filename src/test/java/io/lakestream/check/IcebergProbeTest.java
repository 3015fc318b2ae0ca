package io.lakestream.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check} with Iceberg tables on the embedded SQLite catalog. */
class IcebergProbeTest {

    @TempDir
    Path tmp;

    private LakestreamConfig config(Path lakeDir) {
        return ConfigLoader.load(Path.of("config/claims.yaml"), Map.of("LAKE_TABLE_FORMAT", "iceberg",
                "LAKE_DIR", lakeDir.toString()));
    }

    @Test
    void shouldReportTheCatalogAndAWarehouseWriteAndLeaveNothingBehind() throws Exception {
        CheckResult result = new IcebergProbe(config(tmp.resolve("lake"))).run().get(0);

        assertThat(result.status()).isEqualTo(CheckResult.Status.OK);
        assertThat(result.detail()).contains("Iceberg JDBC catalog", "iceberg-catalog.db", "wrote and deleted");
        try (var files = Files.walk(tmp.resolve("lake/lakestream"))) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void shouldFailNamingTheCatalogWhenTheLakeFolderIsAFile() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-folder"), "x");

        CheckResult result = new IcebergProbe(config(file)).run().get(0);

        assertThat(result.status()).isEqualTo(CheckResult.Status.FAIL);
        assertThat(result.detail()).startsWith("Iceberg JDBC catalog " + file.resolve("iceberg-catalog.db"));
        assertThat(result.hint()).contains("glue:UpdateTable", "claims, claims_by_account");
    }

    @Test
    void shouldProbeIcebergOnlyWhenATableIsIceberg() {
        LakestreamConfig hive = ConfigLoader.load(Path.of("config/claims.yaml"), Map.of("LAKE_DIR",
                tmp.toString()));
        assertThat(hive.tableFormats().icebergTables()).isEmpty();
    }
}
