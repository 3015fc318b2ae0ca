package io.lakestream.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A registry kept in a folder, for running without AWS: each schema version is a file
 * {@code <dir>/<schema-name>/<version-id>.avsc}, so another process (or a later run) reading the topic finds the
 * writer schema. Same wire format as the Glue Schema Registry; ids are derived from (schema name, schema text), so
 * concurrent writers of the same schema write the same file, and a file once written never changes.
 */
public final class LocalFolderRegistry extends WireFormatRegistry {

    private static final Logger log = LoggerFactory.getLogger(LocalFolderRegistry.class);
    /** Topic names are [a-zA-Z0-9._-]; anything else must not reach a path. */
    private static final Pattern SAFE_NAME = Pattern.compile("[a-zA-Z0-9._-]+");

    private final Path dir;

    /** Enforcing BACKWARD compatibility, the default of {@code registry.compatibility}. */
    public LocalFolderRegistry(Path dir) {
        this(dir, Compatibility.BACKWARD);
    }

    /** @param dir the registry folder; created if missing */
    public LocalFolderRegistry(Path dir, Compatibility compatibility) {
        super(compatibility);
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create local registry folder " + dir, e);
        }
    }

    public Path dir() {
        return dir;
    }

    @Override
    protected void store(String schemaName, UUID id, Schema schema) {
        Path file = file(schemaName, id);
        if (Files.exists(file)) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "." + id, ".tmp");
            try {
                Files.writeString(tmp, schema.toString(), StandardCharsets.UTF_8);
                moveAtomically(tmp, file);
            } finally {
                Files.deleteIfExists(tmp);
            }
            log.info("Registered schema version {} of schema {} in {}", id, schemaName, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write schema version " + id + " to " + file, e);
        }
    }

    private static void moveAtomically(Path tmp, Path file) throws IOException {
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            // another writer registered the same version: same id means same content
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the local registry folder must support atomic renames", e);
        }
    }

    @Override
    protected Optional<Schema> load(String schemaName, UUID id) {
        Path file = file(schemaName, id);
        if (!Files.exists(file)) {
            // The deserializer may be asked for a topic other than the schema name (e.g. a copy of a topic).
            file = findAnywhere(id).orElse(null);
            if (file == null) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(new Schema.Parser().parse(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema version " + id + " from " + file, e);
        }
    }

    /**
     * The versions in the order they were registered: by the time their file was written (a version file never
     * changes after), then by name for versions written within the file system's time resolution.
     */
    @Override
    public List<Schema> versions(String schemaName) {
        Path folder = file(schemaName, UUID.randomUUID()).getParent();
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> avsc = files.filter(f -> f.getFileName().toString().endsWith(".avsc")).toList();
            List<Path> ordered = new ArrayList<>(avsc);
            ordered.sort(Comparator.comparing(LocalFolderRegistry::modified).thenComparing(Path::getFileName));
            List<Schema> versions = new ArrayList<>();
            for (Path f : ordered) {
                versions.add(new Schema.Parser().parse(Files.readString(f, StandardCharsets.UTF_8)));
            }
            return versions;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list schema versions of " + schemaName + " in " + folder, e);
        }
    }

    private static java.nio.file.attribute.FileTime modified(Path f) {
        try {
            return Files.getLastModifiedTime(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<Path> findAnywhere(UUID id) {
        try (Stream<Path> names = Files.list(dir)) {
            return names.map(d -> d.resolve(id + ".avsc")).filter(Files::exists).findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list local registry folder " + dir, e);
        }
    }

    private Path file(String schemaName, UUID id) {
        if (!SAFE_NAME.matcher(schemaName).matches() || schemaName.startsWith(".")) {
            throw new IllegalArgumentException("schema name " + schemaName + " is not a safe folder name");
        }
        return dir.resolve(schemaName).resolve(id + ".avsc");
    }
}
