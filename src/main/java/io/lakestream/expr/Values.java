package io.lakestream.expr;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.function.Function;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeName;

/** Conversions between Avro values and the {@link Repr} forms, and the checks that keep SQL types honest. */
final class Values {

    static final long MICROS_PER_DAY = 86_400_000_000L;

    private Values() {
    }

    /** Reads a non-null Avro value of {@code schema} (null branch removed) into its {@link Repr} form. */
    static Function<Object, Object> reader(Schema schema) {
        LogicalType logical = schema.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal d) {
            int scale = d.getScale();
            return v -> decimal(v, scale);
        }
        if (logical instanceof LogicalTypes.TimestampMillis || logical instanceof LogicalTypes.LocalTimestampMillis) {
            return v -> v instanceof Instant i ? micros(i) : Math.multiplyExact((Long) v, 1000L);
        }
        if (logical instanceof LogicalTypes.TimestampMicros || logical instanceof LogicalTypes.LocalTimestampMicros) {
            return v -> v instanceof Instant i ? micros(i) : v;
        }
        if (logical instanceof LogicalTypes.Date) {
            return v -> v instanceof LocalDate d ? (int) d.toEpochDay() : v;
        }
        return switch (schema.getType()) {
            case INT -> v -> (long) (Integer) v;
            case FLOAT -> v -> (double) (Float) v;
            case STRING, ENUM -> Object::toString;
            default -> v -> v; // long, double, boolean, nested records: already their form
        };
    }

    private static BigDecimal decimal(Object v, int scale) {
        if (v instanceof BigDecimal d) {
            return d;
        }
        byte[] bytes;
        if (v instanceof ByteBuffer b) {
            ByteBuffer dup = b.duplicate();
            bytes = new byte[dup.remaining()];
            dup.get(bytes);
        } else {
            bytes = ((GenericFixed) v).bytes();
        }
        return new BigDecimal(new BigInteger(bytes), scale);
    }

    private static long micros(Instant i) {
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000L);
    }

    /** The Avro value of a non-null result of SQL type {@code type} (see {@link AvroTypes#avro}). */
    static Object toAvro(Object v, RelDataType type) {
        return switch (type.getSqlTypeName()) {
            case TINYINT, SMALLINT, INTEGER -> (int) (long) (Long) v;
            case REAL -> (float) (double) (Double) v;
            case DECIMAL -> ByteBuffer.wrap(((BigDecimal) v).setScale(type.getScale(), RoundingMode.HALF_UP)
                    .unscaledValue().toByteArray());
            case TIMESTAMP -> type.getPrecision() > 3 ? v : Math.floorDiv((Long) v, 1000L);
            default -> v;
        };
    }

    static long toLong(Object v) {
        return (Long) v;
    }

    static double toDouble(Object v) {
        return v instanceof BigDecimal d ? d.doubleValue() : ((Number) v).doubleValue();
    }

    static BigDecimal toDecimal(Object v) {
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof Long l) {
            return BigDecimal.valueOf(l);
        }
        return new BigDecimal(Double.toString((Double) v));
    }

    /** {@code v} as a value of integer type {@code type}, or an error when it does not fit. */
    static long fitInteger(long v, SqlTypeName type) {
        long min = switch (type) {
            case TINYINT -> Byte.MIN_VALUE;
            case SMALLINT -> Short.MIN_VALUE;
            case INTEGER -> Integer.MIN_VALUE;
            default -> Long.MIN_VALUE;
        };
        long max = switch (type) {
            case TINYINT -> Byte.MAX_VALUE;
            case SMALLINT -> Short.MAX_VALUE;
            case INTEGER -> Integer.MAX_VALUE;
            default -> Long.MAX_VALUE;
        };
        if (v < min || v > max) {
            throw new ExpressionException("numeric overflow: the result does not fit " + type);
        }
        return v;
    }

    /** {@code v} at the scale of DECIMAL {@code type} (half-up), or an error when it has too many digits. */
    static BigDecimal fitDecimal(BigDecimal v, RelDataType type) {
        BigDecimal scaled = v.scale() == type.getScale() ? v : v.setScale(type.getScale(), RoundingMode.HALF_UP);
        if (scaled.precision() - scaled.scale() > type.getPrecision() - type.getScale()) {
            throw new ExpressionException("numeric overflow: the result does not fit DECIMAL(" + type.getPrecision()
                    + ", " + type.getScale() + ")");
        }
        return scaled;
    }

    static ExpressionException divisionByZero() {
        return new ExpressionException("division by zero");
    }
}
