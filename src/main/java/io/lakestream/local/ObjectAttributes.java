package io.lakestream.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An object's metadata as a user extended attribute of its file ({@code user.lakestream.meta} on Linux): written
 * before the content is forced to disk, it is forced with it and appears with the object's name in one step, with no
 * second file to create and force. File systems without user attributes (some network and older file systems) keep
 * the sidecar file instead; this class finds out on the first write and says so once.
 */
final class ObjectAttributes {

    private static final Logger log = LoggerFactory.getLogger(ObjectAttributes.class);
    static final String NAME = "lakestream.meta";
    /** ext4 keeps all attributes of a file in one 4 KiB block; larger metadata goes to the sidecar. */
    static final int MAX_BYTES = 3 * 1024;

    private volatile boolean supported;

    ObjectAttributes() {
        this(true);
    }

    /** @param tryThem false: never write attributes (the sidecar only), for a store that must not depend on them */
    ObjectAttributes(boolean tryThem) {
        this.supported = tryThem;
    }

    /** Writes {@code value} as the attribute of {@code file}; false if the file system (or the size) does not allow it. */
    boolean write(Path file, byte[] value) {
        if (!supported || value.length > MAX_BYTES) {
            return false;
        }
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        if (view == null) {
            unsupported(file, "no user-defined attribute view");
            return false;
        }
        try {
            view.write(NAME, ByteBuffer.wrap(value));
            return true;
        } catch (UnsupportedOperationException e) {
            unsupported(file, e.toString());
            return false;
        } catch (IOException e) {
            // ENOTSUP: none on this file system. Anything else (no room left in the attribute block, a quota): this
            // object's metadata goes to the sidecar, which never depended on attributes.
            if (notSupported(e)) {
                unsupported(file, ((FileSystemException) e).getReason());
            } else {
                log.debug("metadata of {} goes to a sidecar: {}", file, e.toString());
            }
            return false;
        }
    }

    /** The attribute of {@code file}, if it has one. */
    static Optional<byte[]> read(Path file) throws IOException {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        if (view == null) {
            return Optional.empty();
        }
        try {
            if (!view.list().contains(NAME)) {
                return Optional.empty();
            }
            ByteBuffer buffer = ByteBuffer.allocate(view.size(NAME));
            view.read(NAME, buffer);
            return Optional.of(buffer.array());
        } catch (UnsupportedOperationException e) {
            return Optional.empty();
        } catch (FileSystemException e) {
            if (notSupported(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** ENOTSUP / EOPNOTSUPP: the file system keeps no user attributes (Java gives only the errno's text). */
    private static boolean notSupported(IOException e) {
        return e instanceof FileSystemException f && String.valueOf(f.getReason()).contains("not supported");
    }

    private void unsupported(Path file, String why) {
        if (supported) {
            supported = false;
            log.info("{} has no user extended attributes ({}): object metadata goes to hidden sidecar files",
                    file.getParent(), why);
        }
    }
}
