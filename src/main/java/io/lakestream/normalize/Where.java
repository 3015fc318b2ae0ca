package io.lakestream.normalize;

/**
 * Which value is being coerced, for messages: the Avro field path and the source path it was read from.
 *
 * @param field  Avro field path, e.g. {@code adjuster.name} or {@code items[2]}
 * @param source source path, e.g. {@code $.adjuster.name}
 */
record Where(String field, String source) {

    Where child(String name) {
        return new Where(field + "." + name, source + "." + name);
    }

    Where element(Object index) {
        return new Where(field + "[" + index + "]", source + "[" + index + "]");
    }

    NormalizeException error(ErrorClass errorClass, String problem) {
        return new NormalizeException(errorClass, "field " + field + " (source " + source + "): " + problem);
    }

    NormalizeException error(ErrorClass errorClass, String expected, Object value) {
        return error(errorClass, expected + ", was " + NormalizeException.quote(value));
    }
}
