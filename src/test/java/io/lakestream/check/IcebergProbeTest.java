package io.lakestream.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.iceberg.IcebergCatalogs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    void shouldCreateNeitherTheCatalogNorTheLakeFolderWhenTheyDoNotExistYet() {
        CheckResult result = new IcebergProbe(config(tmp.resolve("lake"))).run().get(0);

        assertThat(result).isEqualTo(CheckResult.ok("iceberg", "Iceberg JDBC catalog "
                + tmp.resolve("lake/iceberg-catalog.db") + " does not exist yet; the first run creates it; lake folder "
                + tmp.resolve("lake") + " does not exist yet; it will be created (" + tmp + " is writable)"));
        assertThat(tmp.resolve("lake")).doesNotExist();
    }

    @Test
    void shouldOpenAnExistingCatalogAndLeaveNothingBehind() throws Exception {
        LakestreamConfig config = config(tmp.resolve("lake"));
        try (var catalog = IcebergCatalogs.open(config)) {
            assertThat(catalog.catalog().name()).isEqualTo(IcebergCatalogs.LOCAL_CATALOG_NAME);
        }
        List<Path> before = files(tmp.resolve("lake"));

        CheckResult result = new IcebergProbe(config).run().get(0);

        assertThat(result.status()).isEqualTo(CheckResult.Status.OK);
        assertThat(result.detail()).contains("Iceberg JDBC catalog", "iceberg-catalog.db: namespace 'claims_lake'",
                "is writable");
        assertThat(files(tmp.resolve("lake"))).isEqualTo(before);
    }

    private static List<Path> files(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            return files.sorted().toList();
        }
    }

    @Test
    void shouldFailNamingTheCatalogWhenTheLakeFolderIsAFile() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-folder"), "x");

        CheckResult result = new IcebergProbe(config(file)).run().get(0);

        assertThat(result.status()).isEqualTo(CheckResult.Status.FAIL);
        assertThat(result.detail()).startsWith("Iceberg JDBC catalog " + file.resolve("iceberg-catalog.db"));
        assertThat(result.hint()).contains("lake.local-dir");
    }

    @Test
    void shouldProbeIcebergOnlyWhenATableIsIceberg() {
        LakestreamConfig hive = ConfigLoader.load(Path.of("config/claims.yaml"), Map.of("LAKE_DIR",
                tmp.toString()));
        assertThat(hive.tableFormats().icebergTables()).isEmpty();
    }
}
