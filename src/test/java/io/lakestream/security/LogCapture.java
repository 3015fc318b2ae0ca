package io.lakestream.security;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Captures every log event of the JVM at every level (TRACE included, whatever logback-test.xml says) in a Logback
 * {@link ListAppender} on the root logger, with the console appenders detached meanwhile so TRACE output does not
 * flood the test report. {@link #close()} puts the levels and appenders back.
 */
final class LogCapture implements AutoCloseable {

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Map<Logger, Level> levels = new HashMap<>();
    private final List<Appender<ILoggingEvent>> detached = new ArrayList<>();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture() {
        for (Logger logger : context.getLoggerList()) {
            levels.put(logger, logger.getLevel());
            if (logger != root) {
                logger.setLevel(null); // inherit TRACE from the root
            }
        }
        root.setLevel(Level.TRACE);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            detached.add(it.next());
        }
        detached.forEach(root::detachAppender);
        appender.setContext(context);
        appender.start();
        root.addAppender(appender);
    }

    static LogCapture everything() {
        return new LogCapture();
    }

    /** The events captured so far. */
    List<ILoggingEvent> events() {
        synchronized (appender) {
            return List.copyOf(appender.list);
        }
    }

    /**
     * All an event carries that a log file or a log shipper could show: the formatted message, the raw pattern,
     * each argument, MDC and key-value pairs, and every throwable in its cause and suppressed chains.
     */
    static String render(ILoggingEvent event) {
        StringBuilder out = new StringBuilder(event.getLoggerName()).append(' ').append(event.getFormattedMessage())
                .append('\n').append(event.getMessage());
        if (event.getArgumentArray() != null) {
            out.append('\n').append(Arrays.deepToString(event.getArgumentArray()));
        }
        out.append('\n').append(event.getMDCPropertyMap());
        if (event.getKeyValuePairs() != null) {
            out.append('\n').append(event.getKeyValuePairs());
        }
        appendThrowable(out, event.getThrowableProxy());
        return out.toString();
    }

    private static void appendThrowable(StringBuilder out, IThrowableProxy t) {
        if (t == null) {
            return;
        }
        out.append('\n').append(t.getClassName()).append(": ").append(t.getMessage());
        for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
            out.append("\n\t").append(frame.getSTEAsString());
        }
        for (IThrowableProxy suppressed : t.getSuppressed()) {
            appendThrowable(out, suppressed);
        }
        appendThrowable(out, t.getCause());
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
        detached.forEach(root::addAppender);
        levels.forEach(Logger::setLevel);
    }
}
