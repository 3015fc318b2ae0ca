package io.lakestream.bench;

import ch.qos.logback.classic.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logback's default is DEBUG to the console: per-fetch client logs would cost more than what is measured. */
public final class BenchLogging {

    private BenchLogging() {
    }

    public static void quiet() {
        if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(Level.WARN);
        }
    }

    /** {@link #quiet()}, and Iceberg at ERROR: 1.12 warns once per manifest read about a deprecated call inside its
     * own scan planning. */
    public static void quietWithIceberg() {
        quiet();
        if (LoggerFactory.getLogger("org.apache.iceberg") instanceof ch.qos.logback.classic.Logger iceberg) {
            iceberg.setLevel(Level.ERROR);
        }
    }
}
