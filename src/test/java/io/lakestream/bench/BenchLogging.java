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
}
