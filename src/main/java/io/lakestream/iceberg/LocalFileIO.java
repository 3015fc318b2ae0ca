package io.lakestream.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;

/**
 * Iceberg file IO over local paths (plain or {@code file:} URIs), so the embedded catalog needs no Hadoop file
 * system. The paths it writes into table metadata are plain absolute paths, which pyiceberg, Spark and DuckDB open.
 */
public final class LocalFileIO implements FileIO, SupportsPrefixOperations {

    static Path path(String location) {
        String p = location.startsWith("file://") ? location.substring("file://".length())
                : location.startsWith("file:") ? location.substring("file:".length()) : location;
        return Path.of(p);
    }

    @Override
    public InputFile newInputFile(String location) {
        return org.apache.iceberg.Files.localInput(path(location).toFile());
    }

    @Override
    public OutputFile newOutputFile(String location) {
        return org.apache.iceberg.Files.localOutput(path(location).toFile());
    }

    @Override
    public void deleteFile(String location) {
        try {
            Files.deleteIfExists(path(location));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + location, e);
        }
    }

    /** The files under a folder (for orphan cleanup), named like the prefix: plain paths or {@code file:} URIs. */
    @Override
    public Iterable<FileInfo> listPrefix(String prefix) {
        Path dir = path(prefix);
        if (!Files.isDirectory(dir)) {
            return java.util.List.of();
        }
        String scheme = prefix.startsWith("file://") ? "file://" : prefix.startsWith("file:") ? "file:" : "";
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(f -> {
                try {
                    return new FileInfo(scheme + f, Files.size(f), Files.getLastModifiedTime(f).toMillis());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + prefix, e);
        }
    }

    @Override
    public void deletePrefix(String prefix) {
        for (FileInfo f : listPrefix(prefix)) {
            deleteFile(f.location());
        }
    }
}
