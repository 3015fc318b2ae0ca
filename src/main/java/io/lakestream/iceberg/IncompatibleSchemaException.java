package io.lakestream.iceberg;

/** A schema version that an Iceberg table cannot take; the committer stops rather than commit its files. */
public final class IncompatibleSchemaException extends RuntimeException {
    IncompatibleSchemaException(String message) {
        super(message);
    }

    IncompatibleSchemaException(String message, Throwable cause) {
        super(message, cause);
    }
}
