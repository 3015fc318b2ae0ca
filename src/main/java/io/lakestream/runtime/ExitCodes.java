package io.lakestream.runtime;

/** The exit codes of every command, as the README lists them. */
public final class ExitCodes {
    public static final int OK = 0;
    /** A FAIL in {@code check}, a stream stopped by an error, Kafka rejecting the client's settings. */
    public static final int FAILURE = 1;
    /** Bad configuration or command-line arguments. */
    public static final int BAD_CONFIG = 2;
    /** {@code --timeout} passed, or Kafka not reachable at start within it. */
    public static final int TIMEOUT = 3;
    /** The data-quality gate: more dead letters than {@code limits.max-dead-letter-ratio}. */
    public static final int DATA_QUALITY = 4;
    /** Records a replay needed were gone (retention): the records table lacks them, the aggregates count them. */
    static final int RECORDS_LOST = 5;
    /** What the JVM exits with after SIGTERM (128 + 15). */
    static final int SIGTERM = 143;

    private ExitCodes() {
    }
}
