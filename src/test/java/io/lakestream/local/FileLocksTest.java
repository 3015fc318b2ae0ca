package io.lakestream.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLocksTest {

    @TempDir
    Path dir;

    @Test
    void shouldKeepAtMostABoundedNumberOfLockFilesOpen() {
        FileLocks locks = new FileLocks();
        for (int i = 0; i < FileLocks.KEEP_OPEN * 3; i++) {
            assertThat(locks.withLock(dir.resolve("d" + i).resolve(".lock"), () -> 1)).isEqualTo(1);
        }
        assertThat(FileLocks.openChannels()).isLessThanOrEqualTo(FileLocks.KEEP_OPEN);
    }

    @Test
    void shouldLetOneHolderInAtATimeWhileChannelsAreReusedAndEvicted() throws Exception {
        // Two lock users, as two stores on one folder would be, with more lock files than stay open.
        List<FileLocks> users = List.of(new FileLocks(), new FileLocks());
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                FileLocks locks = users.get(t % 2);
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        // the shared lock, or one of twice as many others as stay open, evicting channels
                        Path file = dir.resolve("other").resolve(".lock" + i % (FileLocks.KEEP_OPEN * 2));
                        locks.withLock(dir.resolve("shared").resolve(".lock"), () -> {
                            if (inside.incrementAndGet() > 1) {
                                overlaps.incrementAndGet();
                            }
                            inside.decrementAndGet();
                            return null;
                        });
                        locks.withLock(file, () -> null);
                    }
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(overlaps).hasValue(0);
    }
}
