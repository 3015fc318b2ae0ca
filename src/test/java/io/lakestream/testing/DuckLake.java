package io.lakestream.testing;

import io.lakestream.port.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the lake back with an independent reader: every object under a prefix is downloaded (the DuckDB httpfs
 * extension is not available offline) and queried with DuckDB; {@code {lake}} in a query is the download folder.
 */
public final class DuckLake {

    private final Path dir;

    private DuckLake(Path dir) {
        this.dir = dir;
    }

    public static DuckLake download(ObjectStore store, String prefix) {
        try {
            Path dir = Files.createTempDirectory("ducklake");
            for (String key : store.list(prefix)) {
                Path file = dir.resolve(key);
                Files.createDirectories(file.getParent());
                Files.write(file, store.read(key));
            }
            return new DuckLake(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Queries files already on disk under {@code dir} (nothing downloaded). */
    public static DuckLake at(Path dir) {
        return new DuckLake(dir);
    }

    public Path dir() {
        return dir;
    }

    /** Rows of a query, each column by its (lower-case) label. */
    public List<Map<String, Object>> query(String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql.replace("{lake}", dir.toString()))) {
            ResultSetMetaData meta = rs.getMetaData();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB query failed: " + sql + ": " + e.getMessage(), e);
        }
    }
}
