package io.lakestream.expr;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlTrimFunction;
import org.apache.calcite.sql.type.SqlTypeName;

/** Arithmetic, CAST and the scalar functions of the language; see {@link NodeCompiler} for the rest. */
final class Functions {

    private final NodeCompiler compiler;

    Functions(NodeCompiler compiler) {
        this.compiler = compiler;
    }

    Node compile(SqlCall call) throws InvalidExpressionException {
        RelDataType type = compiler.type(call);
        SqlKind kind = call.getKind();
        switch (kind) {
            case PLUS, MINUS, TIMES, DIVIDE, MOD -> {
                return arithmetic(kind, call, type);
            }
            case MINUS_PREFIX -> {
                Node a = compiler.compile(call.operand(0));
                return switch (Repr.of(type)) {
                    case LONG -> r -> neg(a.eval(r), x -> Values.fitInteger(Math.negateExact((Long) x),
                            type.getSqlTypeName()));
                    case DECIMAL -> r -> neg(a.eval(r), x -> ((BigDecimal) x).negate());
                    default -> r -> neg(a.eval(r), x -> -(Double) x);
                };
            }
            case PLUS_PREFIX -> {
                return compiler.compile(call.operand(0));
            }
            case CAST -> {
                return Casts.cast(compiler.compile(call.operand(0)), compiler.type(call.operand(0)), type);
            }
            case EXTRACT -> {
                return TimeFunctions.extract(unit(call.operand(0)), compiler.compile(call.operand(1)),
                        Repr.of(compiler.type(call.operand(1))), call);
            }
            case FLOOR, CEIL -> {
                return floorCeil(call, kind == SqlKind.FLOOR, type);
            }
            case TRIM -> {
                return trim(call);
            }
            default -> {
                return named(call, type);
            }
        }
    }

    private interface Unary {
        Object apply(Object v);
    }

    private static Object neg(Object v, Unary f) {
        return v == null ? null : f.apply(v);
    }

    private Node arithmetic(SqlKind kind, SqlCall call, RelDataType type) throws InvalidExpressionException {
        Repr out = Repr.of(type);
        if (!out.numeric()) {
            throw NodeCompiler.unsupported(call, kind.sql + " on " + type.getSqlTypeName());
        }
        Node a = compiler.compile(call.operand(0));
        Node b = compiler.compile(call.operand(1));
        Binary op = switch (out) {
            case LONG -> longOp(kind, type.getSqlTypeName());
            case DECIMAL -> decimalOp(kind, type);
            default -> doubleOp(kind);
        };
        return r -> {
            Object x = a.eval(r);
            if (x == null) {
                return null;
            }
            Object y = b.eval(r);
            return y == null ? null : op.apply(x, y);
        };
    }

    private interface Binary {
        Object apply(Object x, Object y);
    }

    private static Binary longOp(SqlKind kind, SqlTypeName type) {
        return switch (kind) {
            case PLUS -> (x, y) -> Values.fitInteger(Math.addExact((Long) x, (Long) y), type);
            case MINUS -> (x, y) -> Values.fitInteger(Math.subtractExact((Long) x, (Long) y), type);
            case TIMES -> (x, y) -> Values.fitInteger(Math.multiplyExact((Long) x, (Long) y), type);
            case DIVIDE -> (x, y) -> {
                if ((Long) y == 0) {
                    throw Values.divisionByZero();
                }
                // Java's long division truncates towards zero, as SQL's integer division does.
                if ((Long) x == Long.MIN_VALUE && (Long) y == -1) {
                    throw new ExpressionException("numeric overflow: the result does not fit BIGINT");
                }
                return Values.fitInteger((Long) x / (Long) y, type);
            };
            default -> (x, y) -> {
                if ((Long) y == 0) {
                    throw Values.divisionByZero();
                }
                return (Long) x % (Long) y;
            };
        };
    }

    private static Binary decimalOp(SqlKind kind, RelDataType type) {
        return switch (kind) {
            case PLUS -> (x, y) -> Values.fitDecimal(Values.toDecimal(x).add(Values.toDecimal(y)), type);
            case MINUS -> (x, y) -> Values.fitDecimal(Values.toDecimal(x).subtract(Values.toDecimal(y)), type);
            case TIMES -> (x, y) -> Values.fitDecimal(Values.toDecimal(x).multiply(Values.toDecimal(y)), type);
            case DIVIDE -> (x, y) -> {
                BigDecimal d = Values.toDecimal(y);
                if (d.signum() == 0) {
                    throw Values.divisionByZero();
                }
                return Values.fitDecimal(Values.toDecimal(x).divide(d, type.getScale(), RoundingMode.HALF_UP), type);
            };
            default -> (x, y) -> {
                BigDecimal d = Values.toDecimal(y);
                if (d.signum() == 0) {
                    throw Values.divisionByZero();
                }
                return Values.fitDecimal(Values.toDecimal(x).remainder(d), type);
            };
        };
    }

    private static Binary doubleOp(SqlKind kind) {
        return switch (kind) {
            case PLUS -> (x, y) -> Values.toDouble(x) + Values.toDouble(y);
            case MINUS -> (x, y) -> Values.toDouble(x) - Values.toDouble(y);
            case TIMES -> (x, y) -> Values.toDouble(x) * Values.toDouble(y);
            default -> (x, y) -> {
                double d = Values.toDouble(y);
                if (d == 0) {
                    throw Values.divisionByZero();
                }
                return kind == SqlKind.DIVIDE ? Values.toDouble(x) / d : Values.toDouble(x) % d;
            };
        };
    }

    private static TimeUnitRange unit(SqlNode n) throws InvalidExpressionException {
        if (n instanceof SqlIntervalQualifier q) {
            return q.timeUnitRange;
        }
        if (n instanceof SqlLiteral lit && lit.getValue() instanceof TimeUnitRange u) {
            return u;
        }
        if (n instanceof SqlLiteral lit && lit.getValue() != null) {
            try {
                return TimeUnitRange.valueOf(NodeCompiler.upper(lit.getValueAs(String.class)).trim());
            } catch (IllegalArgumentException e) {
                throw new InvalidExpressionException("unknown time unit " + lit + "; use year, quarter, month, "
                        + "week, day, hour, minute or second", n.getParserPosition().getLineNum() - 1,
                        n.getParserPosition().getColumnNum());
            }
        }
        throw NodeCompiler.unsupported(n, "a time unit that is not a literal");
    }

    private Node floorCeil(SqlCall call, boolean floor, RelDataType type) throws InvalidExpressionException {
        Node a = compiler.compile(call.operand(0));
        Repr in = Repr.of(compiler.type(call.operand(0)));
        if (call.operandCount() == 2) {
            if (!floor) {
                throw NodeCompiler.unsupported(call, "CEIL(... TO unit)");
            }
            return TimeFunctions.truncate(unit(call.operand(1)), a, in, call);
        }
        return switch (in) {
            case LONG -> a;
            case DECIMAL -> r -> neg(a.eval(r), x -> Values.fitDecimal(((BigDecimal) x)
                    .setScale(0, floor ? RoundingMode.FLOOR : RoundingMode.CEILING), type));
            case DOUBLE -> r -> neg(a.eval(r), x -> floor ? Math.floor((Double) x) : Math.ceil((Double) x));
            default -> throw NodeCompiler.unsupported(call, call.getOperator().getName() + " of " + in);
        };
    }

    private Node trim(SqlCall call) throws InvalidExpressionException {
        SqlTrimFunction.Flag flag = ((SqlLiteral) call.operand(0)).getValueAs(SqlTrimFunction.Flag.class);
        Node chars = compiler.compile(call.operand(1));
        Node text = compiler.compile(call.operand(2));
        return r -> {
            String s = (String) text.eval(r);
            String c = (String) chars.eval(r);
            if (s == null || c == null) {
                return null;
            }
            int start = 0;
            int end = s.length();
            while (flag.getLeft() == 1 && start < end && c.indexOf(s.charAt(start)) >= 0) {
                start++;
            }
            while (flag.getRight() == 1 && end > start && c.indexOf(s.charAt(end - 1)) >= 0) {
                end--;
            }
            return s.substring(start, end);
        };
    }

    private Node named(SqlCall call, RelDataType type) throws InvalidExpressionException {
        String name = call.getOperator().getName().toUpperCase(java.util.Locale.ROOT);
        List<Node> args = compiler.operands(call);
        switch (name) {
            case "LOWER", "UPPER" -> {
                boolean lower = name.equals("LOWER");
                Node a = args.get(0);
                return r -> neg(a.eval(r), x -> lower ? ((String) x).toLowerCase(java.util.Locale.ROOT)
                        : ((String) x).toUpperCase(java.util.Locale.ROOT));
            }
            case "CHAR_LENGTH", "CHARACTER_LENGTH" -> {
                Node a = args.get(0);
                return r -> neg(a.eval(r), x -> (long) ((String) x).codePointCount(0, ((String) x).length()));
            }
            case "SUBSTRING" -> {
                return substring(args);
            }
            case "||", "CONCAT" -> {
                return r -> {
                    StringBuilder sb = new StringBuilder();
                    for (Node a : args) {
                        Object v = a.eval(r);
                        if (v == null) {
                            return null;
                        }
                        sb.append(v);
                    }
                    return sb.toString();
                };
            }
            case "ABS" -> {
                Node a = args.get(0);
                return switch (Repr.of(type)) {
                    case LONG -> r -> neg(a.eval(r), x -> Math.absExact((Long) x));
                    case DECIMAL -> r -> neg(a.eval(r), x -> ((BigDecimal) x).abs());
                    default -> r -> neg(a.eval(r), x -> Math.abs((Double) x));
                };
            }
            case "CAST NOT NULL" -> {
                return args.get(0); // the validator's assertion that a COALESCE branch is not null
            }
            case "ROUND" -> {
                return round(call, args, type);
            }
            case "DATE_TRUNC" -> {
                return TimeFunctions.truncate(unit(call.operand(0)), args.get(1), Repr.of(compiler.type(call.operand(1))),
                        call);
            }
            default -> throw NodeCompiler.unsupported(call, "function " + call.getOperator().getName());
        }
    }

    private static Node substring(List<Node> args) {
        Node s = args.get(0);
        Node from = args.get(1);
        Node len = args.size() > 2 ? args.get(2) : null;
        return r -> {
            String text = (String) s.eval(r);
            Long start = (Long) from.eval(r);
            Long count = len == null ? Long.valueOf(Integer.MAX_VALUE) : (Long) len.eval(r);
            if (text == null || start == null || count == null) {
                return null;
            }
            if (count < 0) {
                throw new ExpressionException("SUBSTRING with a negative length");
            }
            // SQL positions start at 1 and the range is clipped: SUBSTRING('abc' FROM 0 FOR 2) = 'a'.
            long first = Math.max(start, 1);
            long last = Math.min(text.length(), start + count - 1);
            return last < first ? "" : text.substring((int) first - 1, (int) last);
        };
    }

    private static Node round(SqlCall call, List<Node> args, RelDataType type) throws InvalidExpressionException {
        Node a = args.get(0);
        Node places = args.size() > 1 ? args.get(1) : r -> 0L;
        return switch (Repr.of(type)) {
            case LONG -> a;
            case DECIMAL -> r -> {
                Object x = a.eval(r);
                Object n = places.eval(r);
                return x == null || n == null ? null : Values.fitDecimal(((BigDecimal) x)
                        .setScale((int) (long) (Long) n, RoundingMode.HALF_UP), type);
            };
            case DOUBLE -> r -> {
                Object x = a.eval(r);
                Object n = places.eval(r);
                return x == null || n == null ? null : new BigDecimal((Double) x).setScale((int) (long) (Long) n,
                        RoundingMode.HALF_UP).round(MathContext.DECIMAL64).doubleValue();
            };
            default -> throw NodeCompiler.unsupported(call, "ROUND of " + type.getSqlTypeName());
        };
    }
}
