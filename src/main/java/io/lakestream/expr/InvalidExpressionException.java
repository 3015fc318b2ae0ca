package io.lakestream.expr;

/**
 * An expression that cannot be compiled against a schema: a syntax error, an unknown column, a type mismatch, a
 * condition that is not boolean, or a construct the evaluator does not support. Raised at load, never per record.
 */
public final class InvalidExpressionException extends Exception {

    private final String reason;
    private final int line;
    private final int column;

    /** @param line 1-based line in the expression text, 0 when the whole expression is meant */
    InvalidExpressionException(String reason, int line, int column) {
        super(reason + (line <= 0 ? "" : " (at " + (line == 1 ? "" : "line " + line + ", ") + "column " + column + ")"),
                null, false, false);
        this.reason = reason;
        this.line = line;
        this.column = column;
    }

    /** What is wrong, without the position. */
    public String reason() {
        return reason;
    }

    /** 1-based line of the offending part of the expression; 0 when it is the whole expression. */
    public int line() {
        return line;
    }

    /** 1-based column of the offending part of the expression; 0 when it is the whole expression. */
    public int column() {
        return column;
    }
}
