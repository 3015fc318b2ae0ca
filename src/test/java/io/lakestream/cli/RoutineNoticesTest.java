package io.lakestream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.classic.joran.JoranConfigurator;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The routine warnings are held back by the logback configuration the jar ships, and shown with --verbose. */
class RoutineNoticesTest {

    private static final String SENDER = "org.apache.kafka.clients.producer.internals.Sender";
    private static final String RETRY = "[Producer clientId=p, transactionalId=t] Got error produce response with "
            + "correlation id {} on topic-partition {}, retrying ({} attempts left). Error: {}";

    private final LoggerContext context = new LoggerContext();
    private final ListAppender<ILoggingEvent> seen = new ListAppender<>();

    /** A logging context configured by the logback.xml the jar ships (tests run with their own). */
    @BeforeEach
    void configure() throws Exception {
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(Path.of("src/main/resources/logback.xml").toFile());
        assertThat(context.getTurboFilterList()).hasAtLeastOneElementOfType(RoutineNotices.class);
    }

    @AfterEach
    void reset() {
        RoutineNotices.verbose(false, context);
        context.stop();
    }

    private Logger watched(String name) {
        Logger logger = context.getLogger(name);
        seen.start();
        logger.addAppender(seen);
        return logger;
    }

    @Test
    void shouldHoldBackExactlyOnceRetriesAndTheIcebergViewNoticeButNotOtherWarnings() {
        Logger sender = watched(SENDER);
        sender.warn(RETRY, 22, "orders.normalized-2", 2147483646, "CONCURRENT_TRANSACTIONS");
        sender.warn(RETRY, 23, "orders.normalized-2", 2147483646, "OUT_OF_ORDER_SEQUENCE_NUMBER");
        watched("org.apache.iceberg.jdbc.JdbcCatalog").warn("JDBC catalog is initialized without view support. "
                + "To auto-migrate the database's schema and enable view support, set jdbc.schema-version=V1");
        sender.warn(RETRY, 24, "orders.normalized-2", 3, "NOT_LEADER_OR_FOLLOWER");
        sender.error(RETRY, 25, "orders.normalized-2", 0, "CONCURRENT_TRANSACTIONS");

        assertThat(seen.list).extracting(ILoggingEvent::getFormattedMessage).satisfiesExactly(
                m -> assertThat(m).endsWith("Error: NOT_LEADER_OR_FOLLOWER"),
                m -> assertThat(m).endsWith("Error: CONCURRENT_TRANSACTIONS"));
        assertThat(seen.list.get(1).getLevel()).isEqualTo(Level.ERROR);
    }

    @Test
    void shouldHoldBackTheEmbeddedBrokersRefusedOutOfOrderBatchButNoOtherBrokerError() {
        Logger broker = watched(RoutineNotices.BROKER_APPENDS);
        String append = "[ReplicaManager broker=1] Error processing append operation on partition {}";
        broker.error(append, "claims.normalized-1", new org.apache.kafka.common.errors.OutOfOrderSequenceException(
                "Invalid sequence number for producer 2 at offset 2 in partition claims.normalized-1: 4 (incoming "
                        + "seq. number). Expected sequence 0 for transactions v2 idempotent producer with no "
                        + "existing state."));
        broker.error(append, "claims.normalized-1",
                new org.apache.kafka.common.errors.RecordTooLargeException("too large"));

        assertThat(seen.list).extracting(e -> e.getThrowableProxy().getClassName())
                .containsExactly("org.apache.kafka.common.errors.RecordTooLargeException");
        RoutineNotices.verbose(true, context);
        broker.error(append, "claims.normalized-0", new org.apache.kafka.common.errors.OutOfOrderSequenceException(
                "Invalid sequence number"));
        assertThat(seen.list).hasSize(2);
    }

    @Test
    void shouldShowThemAndLakestreamDebugLinesWithVerbose() {
        Logger sender = watched(SENDER);
        Logger deadLetters = watched("io.lakestream.normalize.DeadLetterProcessor");
        RoutineNotices.verbose(true, context);
        sender.warn(RETRY, 22, "orders.normalized-2", 2147483646, "CONCURRENT_TRANSACTIONS");
        deadLetters.debug("Dead letter pipeline={} offset={}", "orders", 7);

        assertThat(seen.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "[Producer clientId=p, transactionalId=t] Got error produce response with correlation id 22 on "
                        + "topic-partition orders.normalized-2, retrying (2147483646 attempts left). Error: "
                        + "CONCURRENT_TRANSACTIONS", "Dead letter pipeline=orders offset=7");
        RoutineNotices.verbose(false, context);
        deadLetters.debug("Dead letter pipeline={} offset={}", "orders", 8);
        assertThat(seen.list).hasSize(2);
    }
}
