package io.lakestream.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Mutual exclusion on a lock file, among threads of this process and among processes. A JVM may hold only one
 * {@link FileLock} per file (a second attempt throws instead of waiting), so threads first queue on an
 * in-process lock and only the holder takes the file lock.
 *
 * <p>The lock files' channels stay open between uses (the {@value #KEEP_OPEN} most recently used), since opening a
 * file costs more than the lock: one channel per file in the whole JVM, because closing any descriptor of a file
 * drops every lock the process holds on it. A channel is closed only while no thread of this JVM holds its lock.
 *
 * <p>Lock files are never deleted: deleting one while another process waits on it would let two holders in.
 */
final class FileLocks {

    static final int KEEP_OPEN = 32;

    // JVM-wide: two stores on the same folder in one process must share them, or their file locks would clash.
    private static final ConcurrentHashMap<Path, ReentrantLock> THREAD_LOCKS = new ConcurrentHashMap<>();
    /** Open lock-file channels in access order; guarded by itself. */
    private static final LinkedHashMap<Path, FileChannel> CHANNELS = new LinkedHashMap<>(64, 0.75f, true);

    <T> T withLock(Path lockFile, IoSupplier<T> action) {
        Path key = lockFile.toAbsolutePath().normalize();
        ReentrantLock lock = THREAD_LOCKS.computeIfAbsent(key, k -> new ReentrantLock());
        lock.lock();
        try {
            FileChannel channel = channel(key);
            try (FileLock ignored = channel.lock()) {
                return action.get();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.unlock();
        }
    }

    /** The open channel of {@code key}, whose thread lock the caller holds. */
    private static FileChannel channel(Path key) throws IOException {
        synchronized (CHANNELS) {
            FileChannel open = CHANNELS.get(key);
            if (open != null && open.isOpen()) {
                return open;
            }
        }
        Files.createDirectories(key.getParent());
        FileChannel channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        synchronized (CHANNELS) {
            CHANNELS.put(key, channel);
            closeLeastRecentlyUsed();
        }
        return channel;
    }

    /** Closes channels beyond {@link #KEEP_OPEN}, oldest first, skipping those whose lock a thread holds. */
    private static void closeLeastRecentlyUsed() {
        Iterator<Map.Entry<Path, FileChannel>> it = CHANNELS.entrySet().iterator();
        while (CHANNELS.size() > KEEP_OPEN && it.hasNext()) {
            Map.Entry<Path, FileChannel> eldest = it.next();
            ReentrantLock holder = THREAD_LOCKS.get(eldest.getKey());
            if (holder != null && !holder.isHeldByCurrentThread() && holder.tryLock()) {
                try {
                    eldest.getValue().close();
                } catch (IOException e) {
                    // closing a lock file we only locked and unlocked; nothing is lost
                } finally {
                    holder.unlock();
                }
                it.remove();
            }
        }
    }

    /** Channels open now (for tests). */
    static int openChannels() {
        synchronized (CHANNELS) {
            return CHANNELS.size();
        }
    }

    /** Like {@link Supplier}, for file operations. */
    @FunctionalInterface
    interface IoSupplier<T> {
        T get() throws IOException;
    }
}
