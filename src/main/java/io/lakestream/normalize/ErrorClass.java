package io.lakestream.normalize;

/**
 * Why a raw record could not be normalized; the name is the stable value of the {@code lakestream.error.class}
 * dead-letter header and of the {@code error_class} metric tag.
 */
public enum ErrorClass {
    /** Null or empty record value. */
    EMPTY_VALUE,
    /** Value larger than {@code limits.max-record-bytes}. */
    RECORD_TOO_LARGE,
    /** Value is not valid UTF-8. */
    INVALID_UTF8,
    /** Value is not JSON, or has content after the JSON value. */
    MALFORMED_JSON,
    /** JSON nested deeper than {@code limits.max-json-depth}. */
    JSON_TOO_DEEP,
    /** An object has the same key twice. */
    DUPLICATE_KEY,
    /** NaN or Infinity where a number is expected. */
    NON_FINITE_NUMBER,
    /** CSV row with a column count other than the header's or the configured columns'. */
    CSV_COLUMN_COUNT,
    /** CSV quote opened but not closed, or text after a closing quote. */
    CSV_UNBALANCED_QUOTE,
    /** CSV value with no data row or more than one. */
    CSV_ROW_COUNT,
    /** A value of a type that cannot be coerced to the Avro field's type. */
    WRONG_TYPE,
    /** A required field is absent or null. */
    MISSING_FIELD,
    /** A number does not fit the Avro field's type. */
    NUMERIC_OVERFLOW,
    /** A decimal with more fraction digits than the schema's scale. */
    DECIMAL_SCALE,
    /** A decimal with more digits than the schema's precision. */
    DECIMAL_PRECISION,
    /** A timestamp or date that cannot be parsed. */
    BAD_TIMESTAMP,
    /**
     * An ISO-8601 local date-time or date without a zone ({@code 2024-01-31 10:15:30}) while the pipeline sets no
     * {@code event-time.zone}: it names no instant, and guessing one would shift every such record silently.
     */
    TIMESTAMP_WITHOUT_ZONE,
    /** Event time before 1970-01-01T00:00:00Z or after 9999-12-31T23:59:59.999Z. */
    TIMESTAMP_OUT_OF_RANGE,
    /**
     * Event time further ahead of the wall clock than {@code event-time.max-future}, or further behind than
     * {@code event-time.max-past}: kept out of the windows, so that one outlier cannot move a watermark.
     */
    EVENT_TIME_OUT_OF_BOUNDS,
    /** A valid record whose normalized form is larger than the output topic accepts. */
    OUTPUT_TOO_LARGE,
    /** A string that is not a symbol of the Avro enum. */
    UNKNOWN_ENUM,
    /**
     * A derived column or the filter failed on this record (division by zero, a failed cast, a numeric overflow); the
     * message names the expression and the types of the fields it reads, never their values.
     */
    EXPRESSION_ERROR,
    /** A bug: an unexpected exception while normalizing; the record is kept in the DLQ rather than stopping. */
    INTERNAL_ERROR
}
