package io.lakestream.normalize;

/**
 * Which value is being coerced, for messages: the Avro field path and the source path it was read from.
 *
 * @param field    Avro field path, e.g. {@code adjuster.name} or {@code items[2]}
 * @param source   source path, e.g. {@code $.adjuster.name}
 * @param withheld the value belongs to a protected field: messages (DLQ headers, logs) must not quote it
 */
record Where(String field, String source, boolean withheld) {

    /** What a message says instead of a protected field's value. */
    static final String WITHHELD = "(value of a protected field, withheld)";

    Where child(String name) {
        return new Where(field + "." + name, source + "." + name, withheld);
    }

    Where element(Object index) {
        return new Where(field + "[" + index + "]", source + "[" + index + "]", withheld);
    }

    NormalizeException error(ErrorClass errorClass, String problem) {
        return new NormalizeException(errorClass, "field " + field + " (source " + source + "): " + problem, true);
    }

    NormalizeException error(ErrorClass errorClass, String expected, Object value) {
        return error(errorClass, expected + ", was " + (withheld ? WITHHELD : NormalizeException.quote(value)));
    }
}
