package io.lakestream.infer;

/** No schema can be inferred at all: no samples, or not one of them readable in the given format. */
public final class SchemaInferenceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    SchemaInferenceException(String message) {
        super(message);
    }
}
