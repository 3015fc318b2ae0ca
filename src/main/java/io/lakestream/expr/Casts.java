package io.lakestream.expr;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * CAST between the language's types. Numbers round half up when they lose digits (as Athena/Trino do); a value
 * that does not fit, or text that is not a value of the target type, is a runtime error (EXPRESSION_ERROR).
 */
final class Casts {

    private Casts() {
    }

    static Node cast(Node operand, RelDataType from, RelDataType to) throws InvalidExpressionException {
        Repr in = Repr.of(from);
        Repr out = Repr.of(to);
        Conversion c = conversion(in, out, to);
        return r -> {
            Object v = operand.eval(r);
            return v == null ? null : c.apply(v);
        };
    }

    private interface Conversion {
        Object apply(Object v);
    }

    private static Conversion conversion(Repr in, Repr out, RelDataType to) throws InvalidExpressionException {
        SqlTypeName target = to.getSqlTypeName();
        return switch (out) {
            case STRING -> v -> text(v, in);
            case LONG -> v -> Values.fitInteger(toLong(v, in, target), target);
            case DECIMAL -> v -> Values.fitDecimal(toDecimal(v, in, to), to);
            case DOUBLE -> v -> in == Repr.STRING ? parseDouble((String) v, target) : Values.toDouble(v);
            case BOOLEAN -> v -> in == Repr.STRING ? parseBoolean((String) v) : in == Repr.BOOLEAN ? v
                    : Values.toDecimal(v).signum() != 0;
            case DATE -> v -> switch (in) {
                case STRING -> parseDate((String) v);
                case TIMESTAMP -> (int) Math.floorDiv((Long) v, Values.MICROS_PER_DAY);
                default -> v;
            };
            case TIMESTAMP -> v -> switch (in) {
                case STRING -> parseTimestamp((String) v);
                case DATE -> (Integer) v * Values.MICROS_PER_DAY;
                default -> v;
            };
            default -> throw new InvalidExpressionException("CAST to " + to.getFullTypeString()
                    + " is not supported", 0, 0);
        };
    }

    private static String text(Object v, Repr in) {
        return switch (in) {
            case DECIMAL -> ((BigDecimal) v).toPlainString();
            case BOOLEAN -> ((Boolean) v) ? "true" : "false";
            case DATE -> LocalDate.ofEpochDay((Integer) v).toString();
            case TIMESTAMP -> TimeFunctions.format((Long) v);
            default -> v.toString();
        };
    }

    private static long toLong(Object v, Repr in, SqlTypeName target) {
        return switch (in) {
            case LONG -> (Long) v;
            case STRING -> {
                try {
                    yield new BigDecimal(((String) v).trim()).setScale(0, RoundingMode.HALF_UP).longValueExact();
                } catch (NumberFormatException | ArithmeticException e) {
                    throw new ExpressionException("CAST of a VARCHAR to " + target + " failed: not an integer");
                }
            }
            case BOOLEAN -> ((Boolean) v) ? 1L : 0L;
            default -> {
                try {
                    yield Values.toDecimal(v).setScale(0, RoundingMode.HALF_UP).longValueExact();
                } catch (ArithmeticException | NumberFormatException e) {
                    throw new ExpressionException("numeric overflow: the value does not fit " + target);
                }
            }
        };
    }

    private static BigDecimal toDecimal(Object v, Repr in, RelDataType to) {
        try {
            BigDecimal d = in == Repr.STRING ? new BigDecimal(((String) v).trim()) : Values.toDecimal(v);
            return d.setScale(to.getScale(), RoundingMode.HALF_UP);
        } catch (NumberFormatException e) {
            throw new ExpressionException("CAST of a " + in + " to DECIMAL(" + to.getPrecision() + ", " + to.getScale()
                    + ") failed: not a number");
        }
    }

    private static double parseDouble(String s, SqlTypeName target) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new ExpressionException("CAST of a VARCHAR to " + target + " failed: not a number");
        }
    }

    private static boolean parseBoolean(String s) {
        String t = s.trim();
        if (t.equalsIgnoreCase("true")) {
            return true;
        }
        if (t.equalsIgnoreCase("false")) {
            return false;
        }
        throw new ExpressionException("CAST of a VARCHAR to BOOLEAN failed: not true or false");
    }

    private static int parseDate(String s) {
        try {
            return (int) LocalDate.parse(s.trim()).toEpochDay();
        } catch (DateTimeParseException e) {
            throw new ExpressionException("CAST of a VARCHAR to DATE failed: not yyyy-MM-dd");
        }
    }

    private static long parseTimestamp(String s) {
        try {
            String t = s.trim();
            if (t.endsWith("Z")) {
                t = t.substring(0, t.length() - 1);
            }
            return t.length() == 10 ? parseDate(t) * Values.MICROS_PER_DAY : NodeCompiler.timestamp(t);
        } catch (DateTimeParseException | ExpressionException e) {
            throw new ExpressionException("CAST of a VARCHAR to TIMESTAMP failed: not yyyy-MM-dd HH:mm:ss[.ffffff]");
        }
    }
}
