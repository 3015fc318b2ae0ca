package io.lakestream.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A point where a test can hold the committer so that a kill strikes exactly there: after an Iceberg commit, before
 * the Kafka transaction that removes the committed landings from the pending store. Inert unless the JVM runs with
 * {@code -D}{@value #PROPERTY}{@code =FILE}; then the first committer (of any process given the same file) to pass the
 * point while the file exists deletes it and blocks its stream thread until the process is killed. The chaos test
 * uses it to make "commit found done" happen every time instead of when a SIGSTOP happens to beat a 500 ms commit.
 */
final class PausePoint {

    static final String PROPERTY = "lakestream.test.pause-after-iceberg-commit";
    private static final Logger LOG = LoggerFactory.getLogger(PausePoint.class);

    private PausePoint() {
    }

    /** Blocks for good if the test asked for a pause here (its file exists and this caller deleted it first). */
    static void afterIcebergCommit(String table) {
        String file = System.getProperty(PROPERTY);
        if (file == null || !claim(Path.of(file))) {
            return;
        }
        LOG.warn("iceberg table {}: test pause point: holding after the Iceberg commit, before the Kafka commit",
                table);
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // Only a kill ends the pause: an interrupt on shutdown must not let the Kafka side commit.
                LOG.warn("iceberg table {}: test pause point interrupted; still holding", table);
            }
        }
    }

    private static boolean claim(Path file) {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
