package io.lakestream.iceberg;

import io.lakestream.config.LakeConfig;
import io.lakestream.config.LakestreamConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.aws.glue.GlueCatalog;
import org.apache.iceberg.aws.s3.S3FileIO;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * Opens the Iceberg catalog of a deployment: Iceberg's own Glue catalog with S3FileIO when {@code catalog.type} is
 * glue, else the embedded JDBC catalog on SQLite in {@code <lake.local-dir>/iceberg-catalog.db} (warehouse = that
 * folder), the standard JDBC-catalog layout that pyiceberg's SqlCatalog, Spark and Trino open.
 */
public final class IcebergCatalogs {

    /** Catalog name in the JDBC catalog's tables (readers open it under this name). */
    public static final String LOCAL_CATALOG_NAME = "lakestream";
    public static final String LOCAL_CATALOG_FILE = "iceberg-catalog.db";

    private IcebergCatalogs() {
    }

    /** A catalog and the file IO its tables use. */
    public record Opened(Catalog catalog, FileIO io) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            io.close();
            if (catalog instanceof AutoCloseable c) {
                c.close();
            }
        }
    }

    public static Opened open(LakestreamConfig config) {
        return "glue".equals(config.catalog().type()) ? glue(config) : local(config.lake().localDir());
    }

    /** The embedded catalog of a lake folder. */
    public static Opened local(Path lakeDir) {
        Path dir = lakeDir.toAbsolutePath().normalize();
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create lake folder " + dir, e);
        }
        Map<String, String> props = new HashMap<>();
        props.put(CatalogProperties.URI, "jdbc:sqlite:" + dir.resolve(LOCAL_CATALOG_FILE));
        props.put(CatalogProperties.WAREHOUSE_LOCATION, dir.toString());
        props.put(CatalogProperties.FILE_IO_IMPL, LocalFileIO.class.getName());
        JdbcCatalog catalog = new JdbcCatalog();
        catalog.initialize(LOCAL_CATALOG_NAME, props);
        return new Opened(catalog, new LocalFileIO());
    }

    /** Iceberg's Glue catalog and S3 file IO, with the region and endpoint overrides of the config. */
    static Opened glue(LakestreamConfig config) {
        Map<String, String> props = new HashMap<>();
        String prefix = config.lake().prefix();
        LakeConfig.S3Settings s3 = config.lake().s3();
        props.put(CatalogProperties.WAREHOUSE_LOCATION,
                s3.uri(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix));
        props.put(CatalogProperties.FILE_IO_IMPL, "org.apache.iceberg.aws.s3.S3FileIO");
        props.put("http-client.type", "urlconnection");
        String region = config.catalog().region() != null ? config.catalog().region() : s3.region();
        if (region != null) {
            props.put("client.region", region);
        }
        if (config.catalog().endpoint() != null) {
            props.put("glue.endpoint", config.catalog().endpoint().toString());
        }
        if (s3.endpoint() != null) {
            props.put("s3.endpoint", s3.endpoint().toString());
            props.put("s3.path-style-access", "true");
        }
        // Metadata files get the same server-side encryption as the data files the sinks write.
        if ("kms".equals(s3.sse())) {
            props.put("s3.sse.type", "kms");
            props.put("s3.sse.key", s3.kmsKeyId());
        } else if ("s3".equals(s3.sse())) {
            props.put("s3.sse.type", "s3");
        }
        GlueCatalog catalog = new GlueCatalog();
        catalog.initialize("glue", props);
        S3FileIO io = new S3FileIO();
        io.initialize(props);
        return new Opened(catalog, io);
    }
}
