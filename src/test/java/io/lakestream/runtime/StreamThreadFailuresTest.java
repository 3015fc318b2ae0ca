package io.lakestream.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class StreamThreadFailuresTest {

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final List<Throwable> fatal = new ArrayList<>();
    private final StreamThreadFailures failures = new StreamThreadFailures(metrics, now::get, fatal::add);

    @Test
    void shouldReplaceTheThreadWhenAZombieTransactionIsRefusedDuringABrokerRestart() {
        StreamsException e = new StreamsException("Error encountered sending record to topic claims.normalized",
                new KafkaException("commit failed", new InvalidTxnStateException("The producer attempted a "
                        + "transactional operation in an invalid state.")));

        assertThat(failures.handle(e)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(fatal).isEmpty();
        assertThat(metrics.counter("lakestream.stream.threads.replaced").count()).isEqualTo(1);
    }

    @Test
    void shouldShutDownTheInstanceOnAFailureThatIsNotTransactional() {
        StreamsException e = new StreamsException("Exception caught in process",
                new IllegalStateException("a bug"));

        assertThat(failures.handle(e)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(fatal).containsExactly(e);
    }

    @Test
    void shouldShutDownWhenTransactionsFailMoreThanFiveTimesInTenMinutesAndReplaceAgainOnceTheyAgeOut() {
        StreamsException e = new StreamsException(new ProducerFencedException("fenced"));
        for (int i = 0; i < StreamThreadFailures.MAX_REPLACEMENTS; i++) {
            assertThat(failures.handle(e)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
            now.addAndGet(60_000);
        }
        assertThat(failures.handle(e)).as("sixth within ten minutes").isEqualTo(
                StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(fatal).containsExactly(e);

        now.addAndGet(StreamThreadFailures.WINDOW.toMillis());
        assertThat(failures.handle(e)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }
}
