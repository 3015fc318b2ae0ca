package io.lakestream.window;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LateRecordsTest {

    private static final long NOW = Instant.parse("2024-05-01T10:00:00Z").toEpochMilli();
    private final Logger logger = (Logger) LoggerFactory.getLogger(LateRecords.class);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Counter counter = new SimpleMeterRegistry().counter(LateRecords.LEFT_OUT_METRIC);
    private final LateRecords late = new LateRecords("pipeline claims aggregation by_account", counter);

    @BeforeEach
    void capture() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void release() {
        logger.detachAppender(log);
    }

    @Test
    void shouldCountEveryRecordAndLogEachPartitionAtMostOnceAMinuteWithIsoTimes() {
        late.leftOut("raw", 0, 10, NOW - 200_000, 1, NOW - 100_000, NOW);
        late.leftOut("raw", 0, 11, NOW - 200_000, 1, NOW - 100_000, NOW + 1_000);
        late.leftOut("raw", 1, 12, NOW - 200_000, 1, NOW - 100_000, NOW + 2_000);
        late.leftOut("raw", 0, 13, NOW - 150_000, 2, NOW - 100_000, NOW + 60_000);

        assertThat(counter.count()).isEqualTo(4);
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "pipeline claims aggregation by_account: 1 record(s) of raw-0 left out of closed windows, e.g. offset "
                        + "10 (event time 2024-05-01T09:56:40Z) left out of 1 window(s), closed up to "
                        + "2024-05-01T09:58:20Z",
                "pipeline claims aggregation by_account: 1 record(s) of raw-1 left out of closed windows, e.g. offset "
                        + "12 (event time 2024-05-01T09:56:40Z) left out of 1 window(s), closed up to "
                        + "2024-05-01T09:58:20Z",
                "pipeline claims aggregation by_account: 2 record(s) of raw-0 left out of closed windows in the last "
                        + "60 s, e.g. offset 13 (event time 2024-05-01T09:57:30Z) left out of 2 window(s), closed up "
                        + "to 2024-05-01T09:58:20Z");
    }

    @Test
    void shouldGiveTheFirstWindowStartThatAClosedUpToMarkLeavesOpen() {
        assertThat(UpstreamMark.completeBelow(150, 100, 50)).as("hopping: [0,100) closed, [50,150) too").isEqualTo(100);
        assertThat(UpstreamMark.completeBelow(149, 100, 50)).isEqualTo(50);
        assertThat(UpstreamMark.completeBelow(100, 100, 100)).isEqualTo(100);
        assertThat(UpstreamMark.completeBelow(-1, 100, 100)).as("before the epoch: [-100, 0) is open").isEqualTo(-100);
        assertThat(UpstreamMark.completeBelow(Long.MIN_VALUE, 100, 100)).isEqualTo(Long.MIN_VALUE);
    }
}
