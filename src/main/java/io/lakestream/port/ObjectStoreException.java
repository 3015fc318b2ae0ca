package io.lakestream.port;

/** A store call failed after retries, or failed in a way retrying cannot fix (the message says what to fix). */
public class ObjectStoreException extends RuntimeException {
    public ObjectStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public ObjectStoreException(String message) {
        super(message);
    }
}
