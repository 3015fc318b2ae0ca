package io.lakestream.port;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where finished files land (S3, a local folder, or memory in unit tests). Keys are relative to the store's
 * root (bucket, folder); the configured prefix is part of the key.
 *
 * <p>The sink's exactly-once guarantee rests on {@link #createIfAbsent}: an object, once written, is never
 * replaced, so a replayed or zombie flush can detect earlier work instead of duplicating it.
 */
public interface ObjectStore extends AutoCloseable {

    /**
     * Writes {@code content} under {@code key} unless an object already exists there.
     *
     * @param metadata user metadata stored with the object and returned by {@link #metadata}
     * @return true if this call created the object, false if an object already existed (nothing written)
     * @throws ObjectStoreException when the store fails after retries, or on a non-retryable error
     */
    boolean createIfAbsent(String key, byte[] content, Map<String, String> metadata);

    /** User metadata of the object at {@code key}, or empty if there is none. */
    Optional<Map<String, String>> metadata(String key);

    /** Content of the object at {@code key}. */
    byte[] read(String key);

    /** Keys of every object under {@code prefix}, in lexicographic order. */
    List<String> list(String prefix);

    /** The size of the object at {@code key} in bytes (for {@code inspect}); stores answer without reading it. */
    default long size(String key) {
        return read(key).length;
    }

    /** Deletes the object at {@code key} if present (used by the write probe of {@code check}). */
    void delete(String key);

    /** A human-readable location of {@code key}, e.g. {@code s3://bucket/key} or a file path. */
    String uri(String key);

    @Override
    default void close() {
    }
}
