package io.lakestream.normalize;

/** A raw record that cannot be normalized; becomes a dead letter. Carries no stack trace: it is data, not a bug. */
final class NormalizeException extends RuntimeException {

    private static final int MAX_VALUE_CHARS = 64;

    private final ErrorClass errorClass;

    NormalizeException(ErrorClass errorClass, String message) {
        super(message, null, false, false);
        this.errorClass = errorClass;
    }

    ErrorClass errorClass() {
        return errorClass;
    }

    /** Quotes an offending value for a message, cut so that a huge value does not flood headers and logs. */
    static String quote(Object value) {
        String text = String.valueOf(value);
        if (text.length() > MAX_VALUE_CHARS) {
            text = text.substring(0, MAX_VALUE_CHARS) + "...(" + text.length() + " chars)";
        }
        return '"' + text.replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r") + '"';
    }
}
