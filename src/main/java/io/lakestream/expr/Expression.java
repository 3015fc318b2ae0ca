package io.lakestream.expr;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * A SQL expression compiled once against an Avro record schema and evaluated per record. Thread-safe. It reads its
 * columns by name, so a record of another schema holding those columns with the same types (a projection of the
 * record, a later version of its schema) evaluates alike.
 *
 * <p>Compile with {@link #compile} (any type) or {@link #condition} (BOOLEAN). A failure on one record (division by
 * zero, a failed cast, a numeric overflow) throws {@link ExpressionException} naming the expression and the types of
 * the columns it reads; never their values.
 */
public final class Expression {

    private final String text;
    private final RelDataType type;
    private final Schema avroType;
    private final Node root;
    private final Map<String, RelDataType> columns;
    private final String context;

    private Expression(String text, RelDataType type, Node root, Map<String, RelDataType> columns) {
        this.text = text;
        this.type = type;
        this.avroType = avroOrNull(type);
        this.root = root;
        this.columns = Map.copyOf(columns);
        this.context = "expression \"" + text + "\"" + (columns.isEmpty() ? "" : " with " + columns.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue().getFullTypeString().replace(" NOT NULL", ""))
                .collect(Collectors.joining(", ")));
    }

    /**
     * @param schema the record schema the expression reads (top-level fields are its columns)
     * @throws InvalidExpressionException with the position in {@code text} of what is wrong
     */
    public static Expression compile(Schema schema, String text) throws InvalidExpressionException {
        SqlFrontEnd.Validated v = SqlFrontEnd.validate(schema, text);
        NodeCompiler compiler = new NodeCompiler(v, schema);
        Node root = compiler.compile(v.node());
        return new Expression(text, v.type(v.node()), root, compiler.columns);
    }

    /** A condition: an expression of type BOOLEAN (a record matches when it is TRUE; FALSE and NULL do not). */
    public static Expression condition(Schema schema, String text) throws InvalidExpressionException {
        Expression e = compile(schema, text);
        if (e.type.getSqlTypeName() != SqlTypeName.BOOLEAN) {
            throw new InvalidExpressionException("must be a condition (a BOOLEAN expression like event_type = 'order')"
                    + ", was of type " + e.typeName(), 0, 0);
        }
        return e;
    }

    private static Schema avroOrNull(RelDataType type) {
        try {
            return AvroTypes.avro(type);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public String text() {
        return text;
    }

    /** The SQL type, as in a message: {@code DECIMAL(20, 2)}, {@code VARCHAR}, {@code BOOLEAN}. */
    public String typeName() {
        if (type.isStruct()) {
            return "ROW (a record)";
        }
        return type.getFullTypeString().replace("VARCHAR CHARACTER SET \"ISO-8859-1\" COLLATE \"ISO-8859-1$en_US$primary\"",
                "VARCHAR").replaceAll("CHAR\\((\\d+)\\) CHARACTER SET [^ ]+ COLLATE [^ ]+", "VARCHAR")
                .replace(" NOT NULL", "");
    }

    /** Whether the SQL type is numeric (integers, decimals, floating point). */
    public boolean numeric() {
        return Repr.of(type).numeric();
    }

    /** Whether values of the type can be ordered for min/max (numbers, strings, dates, timestamps). */
    public boolean orderable() {
        Repr r = Repr.of(type);
        return r.numeric() || r == Repr.STRING || r == Repr.DATE || r == Repr.TIMESTAMP;
    }

    /**
     * The Avro schema of the values {@link #avroValue} returns: a union with null when the expression can be null.
     *
     * @throws IllegalStateException when the type cannot be a column (a ROW)
     */
    public Schema avroType() {
        if (avroType == null) {
            throw new IllegalStateException(context + " of type " + typeName() + " cannot be a column");
        }
        return avroType;
    }

    /** Whether the result can be a column ({@link #avroType} defined). */
    public boolean columnType() {
        return avroType != null;
    }

    /** The top-level fields the expression reads. */
    public Set<String> fields() {
        return columns.keySet();
    }

    /** The value on {@code record} as an Avro value of {@link #avroType()} (decimals as bytes), or null. */
    public Object avroValue(GenericRecord record) {
        Object v = evaluate(record);
        return v == null ? null : Values.toAvro(v, type);
    }

    /** For a {@link #condition}: true when the condition is TRUE on {@code record} (not FALSE, not NULL). */
    public boolean test(GenericRecord record) {
        return Boolean.TRUE.equals(evaluate(record));
    }

    private Object evaluate(GenericRecord record) {
        try {
            return root.eval(record);
        } catch (ExpressionException e) {
            throw new ExpressionException(e.getMessage() + " in " + context);
        } catch (ArithmeticException e) {
            throw new ExpressionException("numeric overflow in " + context);
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
