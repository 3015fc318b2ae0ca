package io.lakestream.normalize;

import static io.lakestream.normalize.NormalizeStageJsonTest.CLAIM;
import static io.lakestream.normalize.StageHarness.header;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.stream.Stream;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every JSON error class of the claims pipeline lands in the DLQ with its reason, coordinates and original bytes. */
class DeadLetterTest {

    private static final byte[] KEY = {1, 2, (byte) 0xFF};

    private final StageHarness stage = new StageHarness("config/claims.yaml");

    @AfterEach
    void close() {
        stage.close();
    }

    static Stream<Arguments> badClaims() {
        return Stream.of(
                Arguments.of("EMPTY_VALUE", new byte[0], "record value is empty"),
                Arguments.of("INVALID_UTF8", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '(', '"', '}'},
                        "record value is not valid UTF-8: 1 malformed byte(s) at byte offset 6"),
                Arguments.of("MALFORMED_JSON", bytes("{\"account\": {\"id\": \"A\""),
                        "malformed JSON: Unexpected end-of-input: expected close marker for Object (start marker at"
                                + " [line: 1, column: 13]) at line 1, column 23"),
                Arguments.of("MALFORMED_JSON", bytes(CLAIM + " {}"), "unexpected content (an object) after the JSON"
                        + " object at line 3, column 31"),
                Arguments.of("WRONG_TYPE", bytes("[" + CLAIM + "]"), "record value: expected a JSON object, was an array"),
                Arguments.of("JSON_TOO_DEEP", bytes(CLAIM.replace("\"Ann\"", "[".repeat(31) + "]".repeat(31))),
                        "JSON nested deeper than 32 levels at $.adjuster.name[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]"
                                + "[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]"),
                Arguments.of("DUPLICATE_KEY", bytes(CLAIM.replace("\"currency\": \"EUR\"",
                        "\"currency\": \"EUR\", \"currency\": \"USD\"")), "duplicate key \"currency\" at $.currency"),
                Arguments.of("NON_FINITE_NUMBER", bytes(CLAIM.replace("1234.50", "NaN")), "non-finite number \"NaN\" at $.amount"),
                Arguments.of("WRONG_TYPE", bytes(CLAIM.replace("\"CL-1\"", "{\"n\": 1}")),
                        "field claim_id (source $.claimId): expected a string, was \"{\\\"n\\\":1}\""),
                Arguments.of("MISSING_FIELD", bytes(CLAIM.replace("\"currency\": \"EUR\",", "")),
                        "field currency (source $.currency): required field is missing"),
                Arguments.of("MISSING_FIELD", bytes(CLAIM.replace("\"EUR\"", "null")),
                        "field currency (source $.currency): required field is null"),
                Arguments.of("DECIMAL_SCALE", bytes(CLAIM.replace("1234.50", "1234.505")),
                        "field amount (source $.amount): expected a decimal(12,2) with at most 2 fraction digits (not"
                                + " rounded), was \"1234.505\""),
                Arguments.of("DECIMAL_PRECISION", bytes(CLAIM.replace("1234.50", "\"12345678901.5\"")),
                        "field amount (source $.amount): expected a decimal(12,2) with at most 10 digits before the"
                                + " point, was \"12345678901.5\""),
                Arguments.of("WRONG_TYPE", bytes(CLAIM.replace("1234.50", "\"12,50\"")),
                        "field amount (source $.amount): expected a decimal(12,2), was \"12,50\""),
                Arguments.of("BAD_TIMESTAMP", bytes(CLAIM.replace("2024-01-31T10:15:30.123+01:00", "yesterday")),
                        "field claim_ts (source $.claimTs): expected an ISO-8601 timestamp like 2024-01-31T10:15:30Z,"
                                + " was \"yesterday\""),
                Arguments.of("BAD_TIMESTAMP", bytes(CLAIM.replace("\"2024-01-31T10:15:30.123+01:00\"", "1706692530123")),
                        "field claim_ts (source $.claimTs): expected an ISO-8601 timestamp like 2024-01-31T10:15:30Z,"
                                + " was 1706692530123"),
                Arguments.of("TIMESTAMP_OUT_OF_RANGE", bytes(CLAIM.replace("2024-01-31T10:15:30.123+01:00",
                        "1969-12-31T23:59:59Z")), "field claim_ts: event time 1969-12-31T23:59:59Z is outside"
                        + " 1970-01-01T00:00:00Z .. 9999-12-31T23:59:59.999Z"),
                Arguments.of("TIMESTAMP_OUT_OF_RANGE", bytes(CLAIM.replace("2024-01-31T10:15:30.123+01:00",
                        "+10000-01-01T00:00:00Z")), "field claim_ts: event time +10000-01-01T00:00:00Z is outside"
                        + " 1970-01-01T00:00:00Z .. 9999-12-31T23:59:59.999Z"),
                Arguments.of("UNKNOWN_ENUM", bytes(CLAIM.replace("APPROVED", "CLOSED")),
                        "field status (source $.status): expected one of OPEN, APPROVED, REJECTED, PAID, was \"CLOSED\""));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("badClaims")
    void shouldSendBadClaimToDlqWithReasonCoordinatesAndOriginalBytes(String errorClass, byte[] value, String message) {
        stage.send(KEY, value);

        TestRecord<byte[], byte[]> dead = stage.onlyDeadLetter();
        assertThat(header(dead, NormalizeStage.HEADER_ERROR_CLASS)).isEqualTo(errorClass);
        assertThat(header(dead, NormalizeStage.HEADER_ERROR_MESSAGE)).isEqualTo(message);
        assertThat(dead.key()).isEqualTo(KEY);
        assertThat(dead.value()).isEqualTo(value);
        assertThat(header(dead, NormalizeStage.HEADER_SOURCE_TOPIC)).isEqualTo("onprem.claims.raw");
        assertThat(header(dead, NormalizeStage.HEADER_SOURCE_PARTITION)).isEqualTo("0");
        assertThat(header(dead, NormalizeStage.HEADER_SOURCE_OFFSET)).isEqualTo("0");
        assertThat(header(dead, NormalizeStage.HEADER_SOURCE_TIMESTAMP))
                .isEqualTo(Long.toString(Instant.parse("2024-01-31T12:00:00Z").toEpochMilli()));
        assertThat(header(dead, NormalizeStage.HEADER_PIPELINE)).isEqualTo("claims");
        assertThat(stage.counter("lakestream.dlq.records", "pipeline", "claims", "error_class", errorClass))
                .isEqualTo(1.0);
    }

    @Test
    void shouldSendNullValueToDlqAsNull() {
        stage.send(KEY, null);

        TestRecord<byte[], byte[]> dead = stage.onlyDeadLetter();
        assertThat(header(dead, NormalizeStage.HEADER_ERROR_CLASS)).isEqualTo("EMPTY_VALUE");
        assertThat(header(dead, NormalizeStage.HEADER_ERROR_MESSAGE)).isEqualTo("record value is null");
        assertThat(dead.value()).isNull();
        assertThat(dead.key()).isEqualTo(KEY);
    }

    @Test
    void shouldSendValueOverTheSizeLimitToDlq() {
        byte[] big = bytes(CLAIM.replace("\"Ann\"", "\"" + "a".repeat(1 << 20) + "\""));

        stage.send(KEY, big);

        TestRecord<byte[], byte[]> dead = stage.onlyDeadLetter();
        assertThat(header(dead, NormalizeStage.HEADER_ERROR_CLASS)).isEqualTo("RECORD_TOO_LARGE");
        assertThat(header(dead, NormalizeStage.HEADER_ERROR_MESSAGE)).isEqualTo("record value has " + big.length
                + " bytes, the limit (limits.max-record-bytes) is 1048576");
        // Over Kafka's default 1 MiB record limit of the DLQ topic too: the bytes are kept in the lake instead.
        assertThat(dead.value()).isNull();
        assertThat(stage.store.read(header(dead, DeadLetterOverflow.PAYLOAD_OBJECT))).isEqualTo(big);
    }

    @Test
    void shouldKeepTheRawRecordsHeadersAndReplaceStaleLakestreamHeaders() {
        org.apache.kafka.common.header.internals.RecordHeaders headers = new org.apache.kafka.common.header.internals
                .RecordHeaders();
        headers.add("trace-id", bytes("t-1"));
        headers.add(NormalizeStage.HEADER_ERROR_CLASS, bytes("OLD"));
        stage.raw.pipeInput(new TestRecord<>(KEY, bytes("{"), headers, Instant.parse("2024-01-31T12:00:00Z")));

        TestRecord<byte[], byte[]> dead = stage.onlyDeadLetter();
        assertThat(header(dead, "trace-id")).isEqualTo("t-1");
        assertThat(dead.headers().headers(NormalizeStage.HEADER_ERROR_CLASS)).hasSize(1);
        assertThat(header(dead, NormalizeStage.HEADER_ERROR_CLASS)).isEqualTo("MALFORMED_JSON");
    }

    @Test
    void shouldTruncateHugeOffendingValuesInMessages() {
        stage.send(KEY, bytes(CLAIM.replace("APPROVED", "X".repeat(500))));

        assertThat(header(stage.onlyDeadLetter(), NormalizeStage.HEADER_ERROR_MESSAGE)).isEqualTo(
                "field status (source $.status): expected one of OPEN, APPROVED, REJECTED, PAID, was \""
                        + "X".repeat(64) + "...(500 chars)\"");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }
}
