package io.lakestream.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.port.ObjectStoreException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

class LakestreamAppTest {

    @Test
    void shouldReportTheAdaptersMessageFromInsideAStreamsExceptionRatherThanOnlyTheRootAwsError() {
        Throwable failure = new StreamsException("task [0_0] Exception caught while punctuating processor 'x'",
                new ObjectStoreException("bucket 'lake' does not exist: create it or fix lake.bucket",
                        new IllegalArgumentException("The specified bucket does not exist (Service: S3)")));

        assertThat(LakestreamApp.reason(failure)).isEqualTo("bucket 'lake' does not exist: create it or fix lake.bucket");
    }

    @Test
    void shouldFallBackToTheRootCauseWhenNoLakestreamExceptionIsInTheChain() {
        Throwable failure = new StreamsException("outer", new IllegalStateException("inner"));

        assertThat(LakestreamApp.reason(failure)).isEqualTo("outer (cause: java.lang.IllegalStateException: inner)");
    }
}
