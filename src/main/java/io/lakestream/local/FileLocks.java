package io.lakestream.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Mutual exclusion on a lock file, among threads of this process and among processes. A JVM may hold only one
 * {@link FileLock} per file (a second attempt throws instead of waiting), so threads first queue on an
 * in-process lock and only the holder takes the file lock.
 *
 * <p>Lock files are never deleted: deleting one while another process waits on it would let two holders in.
 */
final class FileLocks {

    // JVM-wide: two stores on the same folder in one process must share them, or their file locks would clash.
    private static final ConcurrentHashMap<Path, ReentrantLock> THREAD_LOCKS = new ConcurrentHashMap<>();

    <T> T withLock(Path lockFile, IoSupplier<T> action) {
        Path key = lockFile.toAbsolutePath().normalize();
        ReentrantLock lock = THREAD_LOCKS.computeIfAbsent(key, k -> new ReentrantLock());
        lock.lock();
        try {
            Files.createDirectories(key.getParent());
            try (FileChannel channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                return action.get();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.unlock();
        }
    }

    /** Like {@link Supplier}, for file operations. */
    @FunctionalInterface
    interface IoSupplier<T> {
        T get() throws IOException;
    }
}
