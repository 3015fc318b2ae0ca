package io.lakestream.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/**
 * Property: decimal arithmetic in expressions equals java.math.BigDecimal arithmetic at the SQL result scale, for
 * random operands over the whole range of decimal(10, 2) and int (seeded, so a failure reproduces).
 */
class DecimalArithmeticPropertiesTest {

    private static final Schema SCHEMA = new Schema.Parser().parse("""
            {"type": "record", "name": "R", "fields": [
              {"name": "price", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
              {"name": "discount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 5, "scale": 3}},
              {"name": "quantity", "type": "int"}]}""");

    private static GenericRecord record(BigDecimal price, BigDecimal discount, int quantity) {
        GenericData.Record r = new GenericData.Record(SCHEMA);
        r.put("price", ByteBuffer.wrap(price.unscaledValue().toByteArray()));
        r.put("discount", ByteBuffer.wrap(discount.unscaledValue().toByteArray()));
        r.put("quantity", quantity);
        return r;
    }

    @Test
    void shouldEqualBigDecimalArithmeticAtTheSqlResultScale() throws Exception {
        Expression times = Expression.compile(SCHEMA, "price * quantity");
        Expression plus = Expression.compile(SCHEMA, "price + discount");
        Expression minus = Expression.compile(SCHEMA, "price - discount * quantity");
        Expression divide = Expression.compile(SCHEMA, "price / discount");
        int divideScale = (Integer) divide.avroType().getObjectProp("scale");
        Random random = new Random(20240501);
        for (int i = 0; i < 20_000; i++) {
            BigDecimal price = BigDecimal.valueOf(random.nextLong() % 10_000_000_000L, 2);
            BigDecimal discount = BigDecimal.valueOf(random.nextInt(200_000) - 100_000, 3);
            int quantity = random.nextInt();
            GenericRecord r = record(price, discount, quantity);

            assertThat(Orders.decimal(times.avroValue(r), 2)).isEqualTo(price.multiply(BigDecimal.valueOf(quantity)));
            assertThat(Orders.decimal(plus.avroValue(r), 3)).isEqualTo(price.add(discount));
            assertThat(Orders.decimal(minus.avroValue(r), 3))
                    .isEqualTo(price.subtract(discount.multiply(BigDecimal.valueOf(quantity))));
            if (discount.signum() != 0) {
                assertThat(Orders.decimal(divide.avroValue(r), divideScale))
                        .isEqualTo(price.divide(discount, divideScale, RoundingMode.HALF_UP));
            } else {
                assertThatThrownBy(() -> divide.avroValue(r)).isInstanceOf(ExpressionException.class)
                        .hasMessageStartingWith("division by zero");
            }
        }
    }

    @Test
    void shouldRejectAResultThatDoesNotFitItsTypeInsteadOfRoundingIt() throws Exception {
        Expression cast = Expression.compile(SCHEMA, "CAST(price * quantity AS DECIMAL(6, 2))");
        assertThat(Orders.decimal(cast.avroValue(record(new BigDecimal("10.00"), BigDecimal.ZERO.setScale(3), 3)), 2))
                .isEqualByComparingTo("30.00");
        assertThatThrownBy(() -> cast.avroValue(record(new BigDecimal("99999.99"), BigDecimal.ZERO.setScale(3), 100)))
                .isInstanceOf(ExpressionException.class).hasMessageStartingWith("numeric overflow");
    }
}
