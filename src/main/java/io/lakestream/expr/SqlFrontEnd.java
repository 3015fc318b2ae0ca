package io.lakestream.expr;

import java.util.List;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeFactoryImpl;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorUtil;

/**
 * Calcite's SQL parser and validator, used at load only: the expression is validated as the single select item of
 * {@code SELECT <expr> FROM record}, where the table's row type is the Avro schema ({@link AvroTypes}). Validation
 * gives every node its SQL type (decimal result types as the SQL standard derives them, up to precision 38); implicit
 * type coercion is off, so {@code event_type = 1} is a type mismatch instead of a silent cast.
 */
final class SqlFrontEnd {

    static final String TABLE = "__record";
    /** The expression starts on the second line of the query, so that positions map back without arithmetic. */
    private static final String PREFIX = "SELECT\n";

    /** {@code DATE_TRUNC('hour', ts)} as Athena, Spark, Flink and PostgreSQL write it (Calcite's own takes (ts, unit)). */
    static final SqlFunction DATE_TRUNC = new SqlFunction("DATE_TRUNC", SqlKind.OTHER_FUNCTION,
            ReturnTypes.ARG1_NULLABLE, null, OperandTypes.family(SqlTypeFamily.CHARACTER, SqlTypeFamily.DATETIME),
            SqlFunctionCategory.TIMEDATE);

    private static final SqlOperatorTable OPERATORS = SqlOperatorTables.chain(SqlStdOperatorTable.instance(),
            SqlOperatorTables.of(DATE_TRUNC, SqlLibraryOperators.CONCAT_FUNCTION));

    /** Decimals up to precision 38 (as Athena, Spark and Parquet), timestamps up to microseconds. */
    private static final RelDataTypeSystemImpl TYPE_SYSTEM = new RelDataTypeSystemImpl() {
        @Override
        public int getMaxPrecision(SqlTypeName type) {
            return switch (type) {
                case DECIMAL -> 38;
                case TIMESTAMP -> 6;
                default -> super.getMaxPrecision(type);
            };
        }

        @Override
        public int getMaxScale(SqlTypeName type) {
            return type == SqlTypeName.DECIMAL ? 38 : super.getMaxScale(type);
        }

        @Override
        @SuppressWarnings("deprecation")
        public int getMaxNumericPrecision() {
            return 38;
        }

        @Override
        @SuppressWarnings("deprecation")
        public int getMaxNumericScale() {
            return 38;
        }
    };

    private static final SqlParser.Config PARSER = SqlParser.config()
            .withQuoting(Quoting.DOUBLE_QUOTE)
            .withUnquotedCasing(Casing.UNCHANGED)
            .withQuotedCasing(Casing.UNCHANGED)
            .withCaseSensitive(false)
            .withConformance(SqlConformanceEnum.LENIENT);

    /** A validated expression and the validator that knows its nodes' types. */
    record Validated(SqlNode node, SqlValidator validator, SqlSelect select) {
        RelDataType type(SqlNode n) {
            RelDataType t = validator.getValidatedNodeTypeIfKnown(n);
            return t != null ? t : validator.deriveType(validator.getSelectScope(select), n);
        }
    }

    private SqlFrontEnd() {
    }

    static Validated validate(Schema schema, String text) throws InvalidExpressionException {
        if (text == null || text.isBlank()) {
            throw new InvalidExpressionException("is empty; write a SQL expression like price * quantity", 0, 0);
        }
        RelDataTypeFactory types = new SqlTypeFactoryImpl(TYPE_SYSTEM);
        RelDataType row = AvroTypes.row(schema, types);
        CalciteSchema root = CalciteSchema.createRootSchema(false, false);
        root.add(TABLE, new AbstractTable() {
            @Override
            public RelDataType getRowType(RelDataTypeFactory factory) {
                return row;
            }
        });
        Properties props = new Properties();
        props.setProperty(CalciteConnectionProperty.CASE_SENSITIVE.camelName(), "false");
        CalciteCatalogReader catalog = new CalciteCatalogReader(root, List.of(), types,
                new CalciteConnectionConfigImpl(props));
        SqlValidator validator = SqlValidatorUtil.newValidator(OPERATORS, catalog, types, SqlValidator.Config.DEFAULT
                .withTypeCoercionEnabled(false)
                .withIdentifierExpansion(true)
                .withConformance(SqlConformanceEnum.LENIENT));
        SqlSelect select;
        try {
            SqlNode query = SqlParser.create(PREFIX + text + "\nFROM " + TABLE, PARSER).parseQuery();
            if (!(query instanceof SqlSelect s) || s.getSelectList().size() != 1 || s.getFrom() == null
                    || s.getWhere() != null || s.getGroup() != null || s.getOrderList() != null) {
                throw new InvalidExpressionException("must be one SQL expression", 0, 0);
            }
            select = s;
            // a.b is field b of column a (Calcite would look for a table a): qualify it with the record's table.
            select.getSelectList().set(0, select.getSelectList().get(0).accept(new SqlShuttle() {
                @Override
                public SqlNode visit(SqlIdentifier id) {
                    if (id.names.size() < 2 || id.names.get(0).equalsIgnoreCase(TABLE)) {
                        return id;
                    }
                    List<String> names = new java.util.ArrayList<>();
                    names.add(TABLE);
                    names.addAll(id.names);
                    return new SqlIdentifier(names, id.getParserPosition());
                }
            }));
        } catch (SqlParseException e) {
            throw new InvalidExpressionException(parseMessage(e), e.getPos().getLineNum() - 1,
                    e.getPos().getColumnNum());
        }
        try {
            SqlSelect validated = (SqlSelect) validator.validate(select);
            SqlNode item = validated.getSelectList().get(0);
            if (item.getKind() == SqlKind.AS) {
                item = ((SqlBasicCall) item).operand(0);
            }
            return new Validated(item, validator, validated);
        } catch (CalciteContextException e) {
            String reason = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
            throw new InvalidExpressionException(reword(reason), e.getPosLine() - 1, e.getPosColumn());
        } catch (RuntimeException e) {
            throw new InvalidExpressionException(reword(String.valueOf(e.getMessage())), 0, 0);
        }
    }

    /** The first line of Calcite's parse message, without the query around the expression. */
    private static String parseMessage(SqlParseException e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        String first = nl < 0 ? m : m.substring(0, nl);
        first = first.replaceAll(" at line \\d+, column \\d+\\.?", "");
        if (first.contains("FROM\"")) {
            return "syntax error: the expression ends too early";
        }
        return "syntax error: " + first;
    }

    /** Calcite's validation messages in the terms of a record rather than a table. */
    private static String reword(String reason) {
        return reason
                .replaceAll("Column '([^']*)' not found in any table", "unknown column \"$1\"")
                .replaceAll("Column '([^']*)' not found in table '" + TABLE + "'", "unknown column \"$1\"")
                .replaceAll("Unknown field '([^']*)'", "unknown field \"$1\"")
                .replaceAll("No match found for function signature ([^ ]+)", "unknown function $1, or wrong argument types")
                .replaceAll("(?s)\\. Supported form\\(s\\):.*", "")
                .replace("Cannot apply", "type mismatch: cannot apply");
    }
}
