package io.lakestream.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.lakestream.record.NormalizeOutcome;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class DeadLetterLogTest {

    private final Logger logger = ((LoggerContext) LoggerFactory.getILoggerFactory())
            .getLogger(DeadLetterProcessor.class);
    private final ListAppender<ILoggingEvent> seen = new ListAppender<>();
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final DeadLetterLog log = new DeadLetterLog("orders", now::get);

    @BeforeEach
    void watch() {
        seen.start();
        logger.addAppender(seen);
    }

    @AfterEach
    void unwatch() {
        logger.detachAppender(seen);
    }

    private static NormalizeOutcome.DeadLetter dead(String errorClass, long offset) {
        return new NormalizeOutcome.DeadLetter(errorClass, "why " + offset, null, null, "orders.raw", 0, offset, 0L);
    }

    private java.util.List<String> warnings() {
        return seen.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    @Test
    void shouldWarnOncePerClassAndMinuteWithHowManyThereWere() {
        log.record(dead("MALFORMED_JSON", 1));
        for (int i = 2; i <= 5; i++) {
            now.addAndGet(10_000);
            log.record(dead("MALFORMED_JSON", i));
        }
        log.record(dead("UNKNOWN_ENUM", 6));
        now.set(1_000_000 + DeadLetterLog.EVERY_MILLIS);
        log.record(dead("MALFORMED_JSON", 7));

        assertThat(warnings()).containsExactly(
                "Dead letters pipeline=orders class=MALFORMED_JSON: 1 since the last line of this class (at most one "
                        + "a minute), e.g. topic=orders.raw partition=0 offset=1: why 1",
                "Dead letters pipeline=orders class=UNKNOWN_ENUM: 1 since the last line of this class (at most one "
                        + "a minute), e.g. topic=orders.raw partition=0 offset=6: why 6",
                "Dead letters pipeline=orders class=MALFORMED_JSON: 5 since the last line of this class (at most one "
                        + "a minute), e.g. topic=orders.raw partition=0 offset=7: why 7");
    }
}
