package io.lakestream.expr;

/**
 * An expression that failed on one record (division by zero, a cast that fails, a decimal overflow): the record is
 * a dead letter, the pipeline goes on. The message names the expression and the types of the fields it reads, never
 * their values (they may be protected). Carries no stack trace: it is data, not a bug.
 */
public final class ExpressionException extends RuntimeException {

    ExpressionException(String message) {
        super(message, null, false, false);
    }
}
