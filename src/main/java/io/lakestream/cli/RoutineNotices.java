package io.lakestream.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;

/**
 * Holds back the library warnings that are routine under exactly-once or that name settings a user cannot reach,
 * unless {@code --verbose} ({@link #verbose()}): a transactional producer retrying a send while the previous
 * transaction completes ({@code CONCURRENT_TRANSACTIONS}, and the {@code OUT_OF_ORDER_SEQUENCE_NUMBER} retries that
 * follow it), a metadata request racing the creation of a topic lakestream just created, Kafka Streams' advice on a
 * global thread lakestream does not use, and the Iceberg JDBC catalog's note on view support. Installed by
 * {@code logback.xml}; anything at ERROR passes but one: the embedded broker's side of that same retry (the demo's
 * and {@code broker}'s, in this process), which it logs at ERROR: a batch refused with
 * {@code OutOfOrderSequenceException} because the transaction's first batch was refused while the previous one
 * completed. The producer retries both and the records land once.
 */
public final class RoutineNotices extends TurboFilter {

    private record Notice(String logger, List<String> parts) {
        boolean matches(String loggerName, String message) {
            return loggerName.equals(logger) && parts.stream().allMatch(message::contains);
        }
    }

    private static final List<Notice> NOTICES = List.of(
            new Notice("org.apache.kafka.clients.producer.internals.Sender",
                    List.of("retrying", "Error: CONCURRENT_TRANSACTIONS")),
            new Notice("org.apache.kafka.clients.producer.internals.Sender",
                    List.of("retrying", "Error: OUT_OF_ORDER_SEQUENCE_NUMBER")),
            new Notice("org.apache.kafka.clients.NetworkClient",
                    List.of("reported a recoverable issue", "UNKNOWN_TOPIC_OR_PARTITION")),
            new Notice("org.apache.kafka.streams.StreamsConfig",
                    List.of("Processing exception handler is not enabled for the GlobalThread")),
            new Notice("org.apache.iceberg.jdbc.JdbcCatalog", List.of("without view support")));

    /** The embedded broker's logger of refused appends. */
    static final String BROKER_APPENDS = "kafka.server.ReplicaManager";

    private static volatile boolean verbose;
    private static Level levelBefore;

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                              Throwable t) {
        if (!verbose && BROKER_APPENDS.equals(logger.getName())) {
            // The throwable comes as t, or as the last parameter of a formatted message.
            Object thrown = t != null || params == null || params.length == 0 ? t : params[params.length - 1];
            if (thrown != null && thrown.getClass().getSimpleName().equals("OutOfOrderSequenceException")) {
                return FilterReply.DENY;
            }
        }
        if (verbose || format == null || level == null || level.isGreaterOrEqual(Level.ERROR)
                || !logger.getName().startsWith("org.apache.")) {
            return FilterReply.NEUTRAL;
        }
        String message = null;
        for (Notice n : NOTICES) {
            if (n.logger().equals(logger.getName())) {
                if (message == null) {
                    message = MessageFormatter.arrayFormat(format, params).getMessage();
                }
                if (n.matches(logger.getName(), message)) {
                    return FilterReply.DENY;
                }
            }
        }
        return FilterReply.NEUTRAL;
    }

    /** {@code --verbose}: these notices, and lakestream's DEBUG lines (each dead letter, the topology), shown. */
    public static void verbose() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            verbose(true, context);
        }
    }

    static synchronized void verbose(boolean on, LoggerContext context) {
        if (on == verbose) {
            return;
        }
        verbose = on;
        Logger lakestream = context.getLogger("io.lakestream");
        if (on) {
            levelBefore = lakestream.getLevel();
        }
        lakestream.setLevel(on ? Level.DEBUG : levelBefore);
    }
}
