package io.lakestream.expr;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlAbstractDateTimeLiteral;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.fun.SqlBetweenOperator;
import org.apache.calcite.sql.fun.SqlCase;
import org.apache.calcite.sql.fun.SqlLikeOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * Turns a validated Calcite expression tree into {@link Node}s, choosing at compile time, from the validated types,
 * how each node computes (so nothing is looked up per record). SQL null rules: an operator with a NULL operand is
 * NULL, except AND/OR (three-valued), IS [NOT] NULL, COALESCE and CASE. What this class does not know is rejected
 * here, at load, with its position.
 */
final class NodeCompiler {

    private final SqlFrontEnd.Validated validated;
    private final Schema schema;
    /** Top-level columns read, by name as in the schema, with their SQL type: for error messages and projections. */
    final Map<String, RelDataType> columns = new LinkedHashMap<>();
    private final Functions functions = new Functions(this);

    NodeCompiler(SqlFrontEnd.Validated validated, Schema schema) {
        this.validated = validated;
        this.schema = schema;
    }

    RelDataType type(SqlNode n) {
        return validated.type(n);
    }

    static InvalidExpressionException unsupported(SqlNode n, String what) {
        SqlParserPos pos = n.getParserPosition();
        return new InvalidExpressionException(what + " is not supported", pos.getLineNum() - 1, pos.getColumnNum());
    }

    Node compile(SqlNode n) throws InvalidExpressionException {
        if (n instanceof SqlLiteral lit) {
            Object v = literal(lit, type(n));
            return r -> v;
        }
        if (n instanceof SqlIdentifier id) {
            return column(id);
        }
        if (n instanceof SqlCall call) {
            return call(call);
        }
        throw unsupported(n, n.getKind().sql);
    }

    List<Node> operands(SqlCall call) throws InvalidExpressionException {
        List<Node> out = new ArrayList<>();
        for (SqlNode o : call.getOperandList()) {
            out.add(compile(o));
        }
        return out;
    }

    private Node call(SqlCall call) throws InvalidExpressionException {
        SqlKind kind = call.getKind();
        switch (kind) {
            case AND, OR -> {
                return logic(kind == SqlKind.AND, operands(call));
            }
            case NOT -> {
                Node a = compile(call.operand(0));
                return r -> {
                    Boolean v = (Boolean) a.eval(r);
                    return v == null ? null : !v;
                };
            }
            case IS_NULL, IS_NOT_NULL -> {
                Node a = compile(call.operand(0));
                boolean wantNull = kind == SqlKind.IS_NULL;
                return r -> (a.eval(r) == null) == wantNull;
            }
            case IS_TRUE, IS_NOT_TRUE, IS_FALSE, IS_NOT_FALSE -> {
                Node a = compile(call.operand(0));
                Boolean target = kind == SqlKind.IS_TRUE || kind == SqlKind.IS_NOT_TRUE;
                boolean negate = kind == SqlKind.IS_NOT_TRUE || kind == SqlKind.IS_NOT_FALSE;
                return r -> target.equals(a.eval(r)) != negate;
            }
            case EQUALS, NOT_EQUALS, LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL -> {
                return comparison(kind, call.operand(0), call.operand(1));
            }
            case IN, NOT_IN -> {
                return in(call, kind == SqlKind.NOT_IN);
            }
            case BETWEEN -> {
                return between(call);
            }
            case LIKE -> {
                return like(call, ((SqlLikeOperator) call.getOperator()).isNegated());
            }
            case CASE -> {
                return caseWhen((SqlCase) call);
            }
            case COALESCE -> {
                List<Node> parts = new ArrayList<>();
                for (SqlNode o : call.getOperandList()) {
                    parts.add(coerced(o, type(call)));
                }
                return r -> {
                    for (Node p : parts) {
                        Object v = p.eval(r);
                        if (v != null) {
                            return v;
                        }
                    }
                    return null;
                };
            }
            case DOT -> {
                return dot(call);
            }
            default -> {
                return functions.compile(call);
            }
        }
    }

    private static Node logic(boolean and, List<Node> parts) {
        Node a = parts.get(0);
        Node b = parts.get(1);
        // Three-valued: FALSE AND NULL is FALSE, TRUE OR NULL is TRUE, otherwise NULL wins over the other value.
        return r -> {
            Boolean x = (Boolean) a.eval(r);
            if (x != null && x != and) {
                return x;
            }
            Boolean y = (Boolean) b.eval(r);
            if (y != null && y != and) {
                return y;
            }
            return x == null || y == null ? null : and;
        };
    }

    private Node comparison(SqlKind kind, SqlNode left, SqlNode right) throws InvalidExpressionException {
        Node a = compile(left);
        Node b = compile(right);
        Comparator<Object> cmp = comparator(type(left), type(right), left);
        return switch (kind) {
            case EQUALS -> compare(a, b, cmp, c -> c == 0);
            case NOT_EQUALS -> compare(a, b, cmp, c -> c != 0);
            case LESS_THAN -> compare(a, b, cmp, c -> c < 0);
            case LESS_THAN_OR_EQUAL -> compare(a, b, cmp, c -> c <= 0);
            case GREATER_THAN -> compare(a, b, cmp, c -> c > 0);
            default -> compare(a, b, cmp, c -> c >= 0);
        };
    }

    private interface IntTest {
        boolean test(int c);
    }

    private static Node compare(Node a, Node b, Comparator<Object> cmp, IntTest test) {
        return r -> {
            Object x = a.eval(r);
            if (x == null) {
                return null;
            }
            Object y = b.eval(r);
            return y == null ? null : test.test(cmp.compare(x, y));
        };
    }

    /** How two values of these forms compare; numbers of different forms compare exactly unless one is a double. */
    static Comparator<Object> comparator(RelDataType left, RelDataType right, SqlNode at)
            throws InvalidExpressionException {
        Repr x = Repr.of(left);
        Repr y = Repr.of(right);
        if (x == Repr.LONG && y == Repr.LONG) {
            return (a, b) -> Long.compare((Long) a, (Long) b);
        }
        if (x.numeric() && y.numeric()) {
            if (x == Repr.DOUBLE || y == Repr.DOUBLE) {
                return (a, b) -> Double.compare(Values.toDouble(a), Values.toDouble(b));
            }
            return (a, b) -> Values.toDecimal(a).compareTo(Values.toDecimal(b));
        }
        if (x == Repr.DATE && y == Repr.TIMESTAMP || x == Repr.TIMESTAMP && y == Repr.DATE) {
            return (a, b) -> Long.compare(a instanceof Integer d ? d * Values.MICROS_PER_DAY : (Long) a,
                    b instanceof Integer d ? d * Values.MICROS_PER_DAY : (Long) b);
        }
        if (x != y || x == Repr.ROW || x == Repr.OTHER) {
            SqlParserPos pos = at.getParserPosition();
            throw new InvalidExpressionException("type mismatch: cannot compare " + left.getSqlTypeName() + " with "
                    + right.getSqlTypeName(), pos.getLineNum() - 1, pos.getColumnNum());
        }
        return switch (x) {
            case STRING -> (a, b) -> ((String) a).compareTo((String) b);
            case BOOLEAN -> (a, b) -> Boolean.compare((Boolean) a, (Boolean) b);
            case DATE -> (a, b) -> Integer.compare((Integer) a, (Integer) b);
            default -> (a, b) -> Long.compare((Long) a, (Long) b);
        };
    }

    private Node in(SqlCall call, boolean negated) throws InvalidExpressionException {
        SqlNode left = call.operand(0);
        if (!(call.operand(1) instanceof SqlNodeList list)) {
            throw unsupported(call.operand(1), "IN with a subquery");
        }
        Node value = compile(left);
        List<Node> items = new ArrayList<>();
        List<Comparator<Object>> comparators = new ArrayList<>();
        for (SqlNode item : list) {
            items.add(compile(item));
            comparators.add(comparator(type(left), type(item), item));
        }
        return r -> {
            Object v = value.eval(r);
            if (v == null) {
                return null;
            }
            boolean sawNull = false;
            for (int i = 0; i < items.size(); i++) {
                Object item = items.get(i).eval(r);
                if (item == null) {
                    sawNull = true;
                } else if (comparators.get(i).compare(v, item) == 0) {
                    return !negated;
                }
            }
            return sawNull ? null : negated;
        };
    }

    private Node between(SqlCall call) throws InvalidExpressionException {
        SqlBetweenOperator op = (SqlBetweenOperator) call.getOperator();
        boolean symmetric = op.flag == SqlBetweenOperator.Flag.SYMMETRIC;
        SqlNode v = call.operand(0);
        Node low = comparison(SqlKind.GREATER_THAN_OR_EQUAL, v, call.operand(1));
        Node high = comparison(SqlKind.LESS_THAN_OR_EQUAL, v, call.operand(2));
        Node inRange = logic(true, List.of(low, high));
        if (symmetric) {
            Node swapped = logic(true, List.of(comparison(SqlKind.GREATER_THAN_OR_EQUAL, v, call.operand(2)),
                    comparison(SqlKind.LESS_THAN_OR_EQUAL, v, call.operand(1))));
            inRange = logic(false, List.of(inRange, swapped));
        }
        Node result = inRange;
        if (!op.isNegated()) {
            return result;
        }
        return r -> {
            Boolean b = (Boolean) result.eval(r);
            return b == null ? null : !b;
        };
    }

    private Node like(SqlCall call, boolean negated) throws InvalidExpressionException {
        Node value = compile(call.operand(0));
        Node pattern = compile(call.operand(1));
        Character escape = null;
        if (call.operandCount() > 2) {
            if (!(call.operand(2) instanceof SqlCharStringLiteral e) || e.getValueAs(String.class).length() != 1) {
                throw unsupported(call.operand(2), "an ESCAPE other than one literal character");
            }
            escape = e.getValueAs(String.class).charAt(0);
        }
        Character esc = escape;
        Pattern fixed = call.operand(1) instanceof SqlLiteral lit && lit.getValue() != null
                ? likePattern(lit.getValueAs(String.class), esc) : null;
        return r -> {
            Object v = value.eval(r);
            if (v == null) {
                return null;
            }
            Pattern p = fixed;
            if (p == null) {
                Object text = pattern.eval(r);
                if (text == null) {
                    return null;
                }
                p = likePattern((String) text, esc);
            }
            return p.matcher((String) v).matches() != negated;
        };
    }

    static Pattern likePattern(String like, Character escape) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < like.length(); i++) {
            char c = like.charAt(i);
            if (escape != null && c == escape && i + 1 < like.length()) {
                re.append(Pattern.quote(String.valueOf(like.charAt(++i))));
            } else if (c == '%') {
                re.append(".*");
            } else if (c == '_') {
                re.append('.');
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    private Node caseWhen(SqlCase c) throws InvalidExpressionException {
        List<Node> whens = new ArrayList<>();
        List<Node> thens = new ArrayList<>();
        for (int i = 0; i < c.getWhenOperands().size(); i++) {
            SqlNode when = c.getWhenOperands().get(i);
            whens.add(c.getValueOperand() == null ? compile(when)
                    : comparison(SqlKind.EQUALS, c.getValueOperand(), when));
            thens.add(coerced(c.getThenOperands().get(i), type(c)));
        }
        Node otherwise = c.getElseOperand() == null ? r -> null : coerced(c.getElseOperand(), type(c));
        return r -> {
            for (int i = 0; i < whens.size(); i++) {
                if (Boolean.TRUE.equals(whens.get(i).eval(r))) {
                    return thens.get(i).eval(r);
                }
            }
            return otherwise.eval(r);
        };
    }

    /** {@code n} compiled, its values converted to the form of {@code to} (a CASE or COALESCE branch). */
    private Node coerced(SqlNode n, RelDataType to) throws InvalidExpressionException {
        Node compiled = compile(n);
        RelDataType from = type(n);
        boolean same = Repr.of(from) == Repr.of(to)
                && (Repr.of(to) != Repr.DECIMAL || from.getScale() == to.getScale());
        return same || from.getSqlTypeName() == org.apache.calcite.sql.type.SqlTypeName.NULL ? compiled
                : Casts.cast(compiled, from, to);
    }

    private Node dot(SqlCall call) throws InvalidExpressionException {
        Node record = compile(call.operand(0));
        String name = ((SqlIdentifier) call.operand(1)).getSimple();
        Function<Object, Object> read = reader(type(call));
        return r -> {
            GenericRecord nested = (GenericRecord) record.eval(r);
            if (nested == null) {
                return null;
            }
            Object v = nested.get(field(nested.getSchema(), name).pos());
            return v == null ? null : read.apply(v);
        };
    }

    private Node column(SqlIdentifier id) throws InvalidExpressionException {
        List<String> names = new ArrayList<>(id.names);
        if (names.size() > 1 && names.get(0).equalsIgnoreCase(SqlFrontEnd.TABLE)) {
            names.remove(0);
        }
        Schema.Field top = field(schema, names.get(0));
        if (top == null) {
            throw unsupported(id, "column " + id);
        }
        columns.put(top.name(), AvroTypes.type(top.schema(), validated.validator().getTypeFactory()));
        Schema leaf = top.schema();
        List<String> path = new ArrayList<>();
        path.add(top.name());
        for (String n : names.subList(1, names.size())) {
            Schema.Field f = field(AvroTypes.nonNull(leaf), n);
            path.add(f.name());
            leaf = f.schema();
        }
        Function<Object, Object> read = Values.reader(AvroTypes.nonNull(leaf));
        return new ColumnNode(path, read);
    }

    private Function<Object, Object> reader(RelDataType type) {
        return switch (Repr.of(type)) {
            case LONG -> v -> v instanceof Integer i ? (long) i : v;
            case DOUBLE -> v -> v instanceof Float f ? (double) f : v;
            case STRING -> Object::toString;
            default -> v -> v;
        };
    }

    /** A field of a record by name, ignoring case as the validator did; null when absent. */
    static Schema.Field field(Schema record, String name) {
        Schema.Field f = record.getField(name);
        if (f != null) {
            return f;
        }
        return record.getFields().stream().filter(x -> x.name().equalsIgnoreCase(name)).findFirst().orElse(null);
    }

    private static Object literal(SqlLiteral lit, RelDataType type) throws InvalidExpressionException {
        if (lit.getValue() == null) {
            return null;
        }
        return switch (Repr.of(type)) {
            case BOOLEAN -> lit.booleanValue();
            case LONG -> lit.getValueAs(BigDecimal.class).longValueExact();
            case DECIMAL -> lit.getValueAs(BigDecimal.class).setScale(type.getScale());
            case DOUBLE -> lit.getValueAs(BigDecimal.class).doubleValue();
            case STRING -> lit.getValueAs(String.class);
            case DATE -> (int) LocalDate.parse(((SqlAbstractDateTimeLiteral) lit).toFormattedString()).toEpochDay();
            case TIMESTAMP -> timestamp(((SqlAbstractDateTimeLiteral) lit).toFormattedString());
            default -> throw unsupported(lit, "a literal of type " + type.getFullTypeString());
        };
    }

    static long timestamp(String text) {
        LocalDateTime t = LocalDateTime.parse(text.trim().replace(' ', 'T'));
        return Math.addExact(Math.multiplyExact(t.toEpochSecond(ZoneOffset.UTC), 1_000_000L), t.getNano() / 1000L);
    }

    static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }

    /** Reads a column by name, bound to the position in the last record schema seen (one check per record). */
    private static final class ColumnNode implements Node {
        private record Binding(Schema schema, int pos) {
        }

        private final String name;
        private final List<String> nested;
        private final Function<Object, Object> read;
        private Binding binding = new Binding(null, -1);

        ColumnNode(List<String> path, Function<Object, Object> read) {
            this.name = path.get(0);
            this.nested = List.copyOf(path.subList(1, path.size()));
            this.read = read;
        }

        @Override
        public Object eval(GenericRecord record) {
            Binding b = binding;
            if (b.schema() != record.getSchema()) {
                // Records of another schema (a projection, a newer registered version): find the field by name.
                b = new Binding(record.getSchema(), record.getSchema().getField(name).pos());
                binding = b;
            }
            Object v = record.get(b.pos());
            for (String n : nested) {
                if (v == null) {
                    return null;
                }
                v = ((GenericRecord) v).get(n);
            }
            return v == null ? null : read.apply(v);
        }
    }
}
