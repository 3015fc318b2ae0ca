package io.lakestream.local;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakestream.config.LakeConfig;
import io.lakestream.port.ObjectStore;
import io.lakestream.port.ObjectStoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ObjectStore} on a local folder: the embedded default of {@code demo}. Objects are plain files under the
 * root (so DuckDB, Spark or pandas read the lake folder directly); each object's user metadata lives in an
 * extended attribute of its file ({@link ObjectAttributes}), or, where the file system has none, in a hidden sidecar
 * {@code .<name>.meta.json} next to it.
 *
 * <p>How an object is created, never replacing one:
 * <ol>
 *   <li>under the folder's lock (threads of this process, then a file lock for other processes), return false if
 *       the object exists;</li>
 *   <li>create a hidden temp file in the same folder, set its metadata attribute, write the content and force
 *       both to disk;</li>
 *   <li>without attributes: write the sidecar with this write's metadata in place and force it to disk — a sidecar
 *       without an object is only ever the leftover of a crashed write of this key, which never became visible,
 *       and nobody reads it; an object's attribute, when it has one, wins over any sidecar;</li>
 *   <li>hard-link the temp file to the object's name ({@code link(2)} fails if the name exists, so even a
 *       writer that ignored the lock could not replace the object), then remove the temp name.</li>
 * </ol>
 * So whoever sees the object sees its final metadata, and once visible neither ever changes. Keys, and files
 * whose name starts with '.', are reserved: {@link #list} never returns sidecars, temp or lock files.
 */
public final class LocalObjectStore implements ObjectStore {

    private static final Logger log = LoggerFactory.getLogger(LocalObjectStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LOCK_FILE = ".lakestream-objects.lock";
    private static final TypeReference<Map<String, String>> METADATA = new TypeReference<>() {
    };

    private final Path root;
    private final FileLocks locks = new FileLocks();
    private final ObjectAttributes attributes;

    public LocalObjectStore(Path root) {
        this(root, new ObjectAttributes());
    }

    LocalObjectStore(Path root, ObjectAttributes attributes) {
        this.attributes = attributes;
        this.root = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new ObjectStoreException("cannot create lake folder " + this.root + ": " + e.getMessage()
                    + " (fix lake.local-dir or its permissions)", e);
        }
    }

    /** The store {@code lake} describes ({@code lake.store = local}): files under {@code lake.localDir()}. */
    public static LocalObjectStore from(LakeConfig lake) {
        return new LocalObjectStore(lake.localDir());
    }

    public Path root() {
        return root;
    }

    @Override
    public boolean createIfAbsent(String key, byte[] content, Map<String, String> metadata) {
        Path object = resolve(key);
        try {
            return locks.withLock(lockFile(object), () -> {
                if (Files.exists(object)) {
                    log.debug("Already exists: {}", object);
                    return false;
                }
                Files.createDirectories(object.getParent());
                Path temp = LocalFiles.tempFileFor(object);
                try {
                    byte[] meta = JSON.writeValueAsBytes(metadata);
                    boolean[] inAttribute = {false};
                    LocalFiles.writeDurably(temp, content, created -> inAttribute[0] = attributes.write(created, meta));
                    if (!inAttribute[0]) {
                        // Written in place: under the folder's lock, with no object yet, nobody reads it; a torn
                        // sidecar left by a crash here is overwritten by the next attempt.
                        LocalFiles.overwriteDurably(hidden(object, ".meta.json"), meta);
                    }
                    link(temp, object);
                    log.debug("Created {}", object);
                    return true;
                } catch (FileAlreadyExistsException e) {
                    return false;
                } finally {
                    Files.deleteIfExists(temp);
                }
            });
        } catch (UncheckedIOException e) {
            throw new ObjectStoreException("cannot write " + object + ": " + e.getCause().getMessage(), e);
        }
    }

    @Override
    public long size(String key) {
        try {
            return Files.size(resolve(key));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + key, e);
        }
    }

    @Override
    public Optional<Map<String, String>> metadata(String key) {
        Path object = resolve(key);
        if (!Files.exists(object)) {
            return Optional.empty();
        }
        try {
            Optional<byte[]> attribute = ObjectAttributes.read(object);
            byte[] meta = attribute.isPresent() ? attribute.get() : Files.readAllBytes(hidden(object, ".meta.json"));
            return Optional.of(JSON.readValue(meta, METADATA));
        } catch (NoSuchFileException e) {
            // A file put there by hand, not through this store.
            return Optional.of(Map.of());
        } catch (IOException e) {
            throw new ObjectStoreException("cannot read metadata of " + object + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] read(String key) {
        Path object = resolve(key);
        try {
            return Files.readAllBytes(object);
        } catch (IOException e) {
            throw new ObjectStoreException("cannot read " + object + ": " + e, e);
        }
    }

    @Override
    public List<String> list(String prefix) {
        int slash = prefix.lastIndexOf('/');
        Path dir = slash < 0 ? root : resolveFolder(prefix.substring(0, slash));
        String namePrefix = prefix.substring(slash + 1);
        List<String> keys = new ArrayList<>();
        try {
            // Names are matched before any file is looked at: a partition folder holds every object of its hour,
            // and a flush lists the few of one window and source partition.
            collect(dir, namePrefix, keys);
        } catch (IOException e) {
            throw new ObjectStoreException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        Collections.sort(keys);
        return keys;
    }

    /** Adds the keys of the regular files under {@code dir} whose first name segment starts with {@code name}. */
    private void collect(Path dir, String name, List<String> keys) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir,
                e -> !e.getFileName().toString().startsWith(".") && e.getFileName().toString().startsWith(name))) {
            for (Path entry : entries) {
                BasicFileAttributes attrs;
                try {
                    attrs = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException e) {
                    continue; // deleted between the listing and this look
                }
                if (attrs.isDirectory()) {
                    collect(entry, "", keys);
                } else if (attrs.isRegularFile()) {
                    keys.add(root.relativize(entry).toString().replace(entry.getFileSystem().getSeparator(), "/"));
                }
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            // no such folder: nothing under the prefix
        }
    }

    @Override
    public void delete(String key) {
        Path object = resolve(key);
        try {
            locks.withLock(lockFile(object), () -> {
                Files.deleteIfExists(object);
                Files.deleteIfExists(hidden(object, ".meta.json"));
                return null;
            });
        } catch (UncheckedIOException e) {
            throw new ObjectStoreException("cannot delete " + object + ": " + e.getCause().getMessage(), e);
        }
    }

    @Override
    public String uri(String key) {
        // A prefix (a table or partition root) names a folder.
        return key.endsWith("/") ? resolveFolder(key) + "/" : resolve(key).toString();
    }

    /** Gives {@code temp}'s content the name {@code object}; fails if that name exists. */
    private static void link(Path temp, Path object) throws IOException {
        try {
            Files.createLink(object, temp);
        } catch (UnsupportedOperationException e) {
            // A file system without hard links: a move without REPLACE_EXISTING also refuses an existing target,
            // though not atomically; the folder's lock, held here, covers that gap for every writer of this store.
            Files.move(temp, object);
        }
    }

    /** One lock per folder: the objects of a partition are written one at a time, by any process. */
    private static Path lockFile(Path object) {
        return object.resolveSibling(LOCK_FILE);
    }

    private static Path hidden(Path object, String suffix) {
        return object.resolveSibling("." + object.getFileName() + suffix);
    }

    /** The file of {@code key}; refuses keys that would leave the root or name a reserved hidden file. */
    private Path resolve(String key) {
        Path file = resolveFolder(key);
        if (key.endsWith("/") || file.equals(root) || file.getFileName().toString().startsWith(".")) {
            throw new IllegalArgumentException("not a valid object key: '" + key + "'");
        }
        return file;
    }

    private Path resolveFolder(String relative) {
        Path path = root.resolve(relative).normalize();
        if (!path.startsWith(root) || relative.contains("\0")) {
            throw new IllegalArgumentException("key escapes the lake folder: '" + relative + "'");
        }
        return path;
    }
}
