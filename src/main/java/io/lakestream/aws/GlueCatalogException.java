package io.lakestream.aws;

/** A Glue Data Catalog call failed after retries, or in a way no retry fixes; the message says what to fix. */
public class GlueCatalogException extends RuntimeException {
    public GlueCatalogException(String message, Throwable cause) {
        super(message, cause);
    }

    public GlueCatalogException(String message) {
        super(message);
    }
}
