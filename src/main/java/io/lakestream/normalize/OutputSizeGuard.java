package io.lakestream.normalize;

import io.lakestream.config.PipelineConfig;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;

/**
 * Sends a valid record whose normalized form the output topic would refuse to the DLQ (OUTPUT_TOO_LARGE), instead
 * of letting the producer fail the stream thread at that offset on every restart.
 *
 * <p>Counting the Avro bytes costs an encoding, so it is done only for records that could come near the limit: Avro
 * binary of a value parsed from text is at most 8 times the text (a one-digit JSON or CSV number with its separator
 * becomes an 8-byte double), plus the defaults of absent fields, bounded here by 64 KiB.
 */
final class OutputSizeGuard {

    private static final int MAX_EXPANSION = 8;
    private static final int DEFAULTS_ALLOWANCE = 64 * 1024;

    private final String topic;
    private final int limit;

    OutputSizeGuard(PipelineConfig pipeline) {
        this.topic = pipeline.outputTopic();
        this.limit = pipeline.limits().outputRecordBytes();
    }

    /** @throws NormalizeException OUTPUT_TOO_LARGE when the record would exceed the output topic's limit */
    void check(byte[] rawValue, Normalizer.Result result, Headers headers) {
        long keyBytes = result.key().getBytes(StandardCharsets.UTF_8).length;
        long atMost = RecordSize.WIRE_FORMAT_HEADER + (long) rawValue.length * MAX_EXPANSION + DEFAULTS_ALLOWANCE;
        if (RecordSize.of(keyBytes, atMost, headers) <= limit) {
            return;
        }
        long size = RecordSize.of(keyBytes, RecordSize.WIRE_FORMAT_HEADER + RecordSize.avroBytes(result.value()),
                headers);
        if (size > limit) {
            throw new NormalizeException(ErrorClass.OUTPUT_TOO_LARGE, "the normalized record would take " + size
                    + " bytes, more than the " + limit + " the output topic " + topic + " accepts (the smaller of its"
                    + " max.message.bytes and the producer's max.request.size)");
        }
    }
}
