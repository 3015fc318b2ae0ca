package io.lakestream.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class ExpressionTest {

    private static final GenericRecord ORDER = Orders.event("order", "sku-1", 3, "19.99", "DE",
            "2024-05-01T10:17:42.123Z");

    private static Expression compile(String text) throws InvalidExpressionException {
        return Expression.compile(Orders.SCHEMA, text);
    }

    private static boolean test(String condition, GenericRecord r) throws InvalidExpressionException {
        return Expression.condition(Orders.SCHEMA, condition).test(r);
    }

    @Test
    void shouldMultiplyDecimalByIntegerExactlyWithTheSqlResultType() throws Exception {
        Expression revenue = compile("price * quantity");
        assertThat(revenue.typeName()).isEqualTo("DECIMAL(20, 2)");
        Schema type = revenue.avroType().getTypes().get(1);
        assertThat(type.getLogicalType()).isEqualTo(LogicalTypes.decimal(20, 2));
        assertThat(Orders.decimal(revenue.avroValue(ORDER), 2)).isEqualByComparingTo("59.97");
    }

    @Test
    void shouldEvaluateConditionsWithComparisonsLogicInBetweenLikeAndNulls() throws Exception {
        assertThat(test("event_type = 'order' AND price * quantity > 50", ORDER)).isTrue();
        assertThat(test("event_type = 'order' AND price * quantity > 1000", ORDER)).isFalse();
        assertThat(test("country IN ('FR', 'DE') AND quantity BETWEEN 1 AND 5", ORDER)).isTrue();
        assertThat(test("country NOT IN ('FR', 'DE')", ORDER)).isFalse();
        assertThat(test("sku LIKE 'sku-%' AND NOT (sku LIKE 'x_%')", ORDER)).isTrue();
        assertThat(test("currency = 'EUR'", ORDER)).isTrue();
        assertThat(test("weight IS NULL AND sku IS NOT NULL", ORDER)).isTrue();
        // NULL is neither true nor false: the condition does not match, nor does its negation.
        assertThat(test("weight > 1", ORDER)).isFalse();
        assertThat(test("NOT (weight > 1)", ORDER)).isFalse();
        assertThat(test("weight > 1 OR quantity = 3", ORDER)).isTrue();
        assertThat(test("country IN ('FR', NULL)", ORDER)).isFalse();
        assertThat(test("NOT (country IN ('FR', NULL))", ORDER)).isFalse();
    }

    @Test
    void shouldEvaluateCaseCoalesceCastAndStringFunctions() throws Exception {
        assertThat(compile("CASE WHEN quantity >= 3 THEN 'bulk' ELSE 'single' END").avroValue(ORDER))
                .isEqualTo("bulk");
        assertThat(compile("COALESCE(weight, 0.5)").avroValue(ORDER)).isEqualTo(0.5);
        assertThat(compile("LOWER(country) || '-' || UPPER(sku)").avroValue(ORDER)).isEqualTo("de-SKU-1");
        assertThat(compile("CONCAT(country, '/', sku)").avroValue(ORDER)).isEqualTo("DE/sku-1");
        assertThat(compile("SUBSTRING(sku FROM 1 FOR 3)").avroValue(ORDER)).isEqualTo("sku");
        assertThat(compile("SUBSTRING(sku, 5)").avroValue(ORDER)).isEqualTo("1");
        assertThat(compile("CHAR_LENGTH(sku)").avroValue(ORDER)).isEqualTo(5);
        assertThat(compile("CAST(quantity AS VARCHAR)").avroValue(ORDER)).isEqualTo("3");
        assertThat(Orders.decimal(compile("CAST(price AS DECIMAL(6, 1))").avroValue(ORDER), 1))
                .isEqualByComparingTo("20.0");
        assertThat(compile("CAST('42' AS INTEGER) + quantity").avroValue(ORDER)).isEqualTo(45);
    }

    @Test
    void shouldExtractAndTruncateTimeInUtc() throws Exception {
        assertThat(compile("EXTRACT(HOUR FROM ts)").avroValue(ORDER)).isEqualTo(10L);
        assertThat(compile("EXTRACT(YEAR FROM ts) * 100 + EXTRACT(MONTH FROM ts)").avroValue(ORDER)).isEqualTo(202405L);
        assertThat(compile("FLOOR(ts TO HOUR)").avroValue(ORDER))
                .isEqualTo(java.time.Instant.parse("2024-05-01T10:00:00Z").toEpochMilli());
        assertThat(compile("DATE_TRUNC('minute', ts)").avroValue(ORDER))
                .isEqualTo(java.time.Instant.parse("2024-05-01T10:17:00Z").toEpochMilli());
        assertThat(compile("DATE_TRUNC('month', ts)").avroValue(ORDER))
                .isEqualTo(java.time.Instant.parse("2024-05-01T00:00:00Z").toEpochMilli());
        assertThat(test("ts >= TIMESTAMP '2024-05-01 10:00:00' AND ts < TIMESTAMP '2024-05-01 11:00:00'", ORDER))
                .isTrue();
        assertThat(compile("CAST(ts AS DATE)").avroValue(ORDER))
                .isEqualTo((int) java.time.LocalDate.parse("2024-05-01").toEpochDay());
    }

    @Test
    void shouldReadNestedFields() throws Exception {
        GenericRecord r = Orders.event("order", "a", 1, "1.00", "FR", "2024-05-01T00:00:00Z");
        Schema address = Orders.SCHEMA.getField("address").schema().getTypes().get(1);
        GenericData.Record a = new GenericData.Record(address);
        a.put("city", "Lyon");
        r.put("address", a);
        assertThat(compile("address.city").avroValue(r)).isEqualTo("Lyon");
        assertThat(compile("address.city").avroValue(ORDER)).isNull();
        assertThat(compile("address.zip").avroValue(r)).isNull();
    }

    @Test
    void shouldMakeArithmeticOnNullNull() throws Exception {
        GenericRecord noPrice = Orders.event("view", "a", null, null, "FR", "2024-05-01T00:00:00Z");
        assertThat(compile("price * quantity").avroValue(noPrice)).isNull();
        assertThat(Orders.decimal(compile("COALESCE(price * quantity, 0)").avroValue(noPrice), 2))
                .isEqualByComparingTo(BigDecimal.ZERO);
    }

    @Test
    void shouldFailOnOneRecordWithTheExpressionAndTypesButNoValues() throws Exception {
        GenericRecord zero = Orders.event("order", "secret-sku", 0, "12.34", "FR", "2024-05-01T00:00:00Z");
        assertThatThrownBy(() -> compile("price / quantity").avroValue(zero))
                .isInstanceOf(ExpressionException.class)
                .hasMessage("division by zero in expression \"price / quantity\" with price DECIMAL(10, 2), "
                        + "quantity INTEGER")
                .hasMessageNotContaining("12.34");
        assertThatThrownBy(() -> compile("CAST(sku AS INTEGER)").avroValue(zero))
                .isInstanceOf(ExpressionException.class)
                .hasMessageStartingWith("CAST of a VARCHAR to INTEGER failed: not an integer in expression")
                .hasMessageNotContaining("secret");
    }

    @Test
    void shouldReportUnknownColumnsWithTheirPosition() {
        assertThatThrownBy(() -> compile("pricee * quantity"))
                .isInstanceOf(InvalidExpressionException.class)
                .hasMessage("unknown column \"pricee\" (at column 1)");
        assertThatThrownBy(() -> compile("price *\n  quantityy"))
                .hasMessage("unknown column \"quantityy\" (at line 2, column 3)");
    }

    @Test
    void shouldReportTypeMismatchesAndSyntaxErrorsWithTheirPosition() {
        assertThatThrownBy(() -> compile("event_type * 2"))
                .isInstanceOf(InvalidExpressionException.class)
                .hasMessageStartingWith("type mismatch: cannot apply '*' to arguments of type '<VARCHAR> * <INTEGER>'")
                .hasMessageEndingWith("(at column 1)");
        assertThatThrownBy(() -> compile("quantity = 'three'"))
                .hasMessage("type mismatch: cannot compare INTEGER with CHAR (at column 1)");
        assertThatThrownBy(() -> compile("price * "))
                .hasMessage("syntax error: the expression ends too early (at column 7)");
        assertThatThrownBy(() -> compile("price quantity +"))
                .hasMessageStartingWith("syntax error:").hasMessageContaining("(at column ");
    }

    @Test
    void shouldRejectANonBooleanCondition() {
        assertThatThrownBy(() -> Expression.condition(Orders.SCHEMA, "price * quantity"))
                .hasMessage("must be a condition (a BOOLEAN expression like event_type = 'order'), was of type "
                        + "DECIMAL(20, 2)");
    }
}
