package io.lakestream.check;

import io.lakestream.config.LakestreamConfig;
import io.lakestream.iceberg.IcebergCatalogs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;

/**
 * {@code iceberg}: when a table is an Iceberg table, the Iceberg catalog answers (the Glue catalog through Iceberg's
 * client, or the SQLite file when it exists) and the warehouse takes a write and a delete (S3 through the catalog's
 * file IO; a local lake folder through a hidden probe file). Nothing else is created: no catalog file, no folder.
 */
final class IcebergProbe implements Probe {

    static final String NAME = "iceberg";
    static final String PERMISSIONS = "glue:GetDatabase, glue:CreateDatabase, glue:GetTable,"
            + " glue:CreateTable, glue:UpdateTable, s3:GetObject, s3:PutObject, s3:DeleteObject and s3:ListBucket";

    private final LakestreamConfig config;

    IcebergProbe(LakestreamConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<CheckResult> run() {
        boolean glue = "glue".equals(config.catalog().type());
        Path catalogFile = config.lake().localDir().resolve(IcebergCatalogs.LOCAL_CATALOG_FILE);
        String what = glue ? "Iceberg Glue catalog" : "Iceberg JDBC catalog " + catalogFile;
        if (!glue && !Files.exists(catalogFile)) {
            // Opening the JDBC catalog would create the SQLite file (and the folder): a check creates no lake.
            CheckResult folder = FolderProbe.check(NAME, "lake folder", config.lake().localDir(), "lake.local-dir");
            return List.of(new CheckResult(NAME, folder.status(), what + (folder.status() == CheckResult.Status.OK
                    ? " does not exist yet; the first run creates it; " : ": ") + folder.detail(), folder.hint()));
        }
        String table = config.tableFormats().icebergTables().keySet().iterator().next();
        try (IcebergCatalogs.Opened catalog = IcebergCatalogs.open(config)) {
            Namespace ns = Namespace.of(config.catalog().database());
            boolean exists = !(catalog.catalog() instanceof SupportsNamespaces n) || n.namespaceExists(ns);
            String probe = glue ? "wrote and deleted " + warehouseProbe(catalog, table)
                    : FolderProbe.check(NAME, "lake folder", config.lake().localDir(), "lake.local-dir").detail();
            return List.of(CheckResult.ok(NAME, what + ": namespace '" + ns + "' "
                    + (exists ? "found" : "not created yet (created with the first table)") + "; " + probe));
        } catch (Exception e) {
            return List.of(CheckResult.fail(NAME, what + ": " + e.getMessage(),
                    "the Iceberg tables need " + PERMISSIONS + " (tables " + String.join(", ",
                            config.tableFormats().icebergTables().keySet()) + ")"));
        }
    }

    /**
     * Writes and deletes a small object where the table's metadata will live; returns its location. S3 only: on a
     * local folder it would leave the table's folders behind, so the lake folder itself is probed there.
     */
    private String warehouseProbe(IcebergCatalogs.Opened catalog, String table) throws java.io.IOException {
        String location = io.lakestream.iceberg.IcebergCommitStage.tableLocation(config, table)
                + "/metadata/lakestream-check-" + UUID.randomUUID() + ".probe";
        OutputFile out = catalog.io().newOutputFile(location);
        try (PositionOutputStream stream = out.create()) {
            stream.write("lakestream check".getBytes(StandardCharsets.UTF_8));
        }
        catalog.io().deleteFile(location);
        return location;
    }
}
