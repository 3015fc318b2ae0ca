package io.lakestream.normalize;

/** A raw record that cannot be normalized; becomes a dead letter. Carries no stack trace: it is data, not a bug. */
final class NormalizeException extends RuntimeException {

    private static final int MAX_VALUE_CHARS = 64;

    private final ErrorClass errorClass;
    private final boolean fieldLevel;

    NormalizeException(ErrorClass errorClass, String message) {
        this(errorClass, message, false);
    }

    /** @param fieldLevel raised for one field's value (see {@link Where}), which decides itself what it may quote */
    NormalizeException(ErrorClass errorClass, String message, boolean fieldLevel) {
        super(message, null, false, false);
        this.errorClass = errorClass;
        this.fieldLevel = fieldLevel;
    }

    ErrorClass errorClass() {
        return errorClass;
    }

    boolean fieldLevel() {
        return fieldLevel;
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
