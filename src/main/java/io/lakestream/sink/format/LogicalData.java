package io.lakestream.sink.format;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;

/**
 * Logical-type handling shared by the writers and the sink. Binary writers use {@link #MODEL}, which converts logical Java
 * values (BigDecimal, Instant, LocalDate) and passes raw values through, because Avro looks conversions up by the
 * datum's class. Text writers use {@link #logicalValue} to read either form as a logical value.
 */
public final class LogicalData {

    public static final GenericData MODEL = model();

    private LogicalData() {
    }

    private static GenericData model() {
        GenericData data = new GenericData();
        data.addLogicalTypeConversion(new Conversions.DecimalConversion());
        data.addLogicalTypeConversion(new TimeConversions.DateConversion());
        data.addLogicalTypeConversion(new TimeConversions.TimeMillisConversion());
        data.addLogicalTypeConversion(new TimeConversions.TimeMicrosConversion());
        data.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        data.addLogicalTypeConversion(new TimeConversions.TimestampMicrosConversion());
        data.addLogicalTypeConversion(new TimeConversions.LocalTimestampMillisConversion());
        data.addLogicalTypeConversion(new TimeConversions.LocalTimestampMicrosConversion());
        return data;
    }

    /** The non-null branch of a nullable union, or the schema itself. */
    public static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        return schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst().orElse(schema);
    }

    /** The branch of {@code union} that {@code value} was written with. */
    public static Schema branch(Schema union, Object value) {
        return union.getTypes().get(MODEL.resolveUnion(union, value));
    }

    /**
     * The value as its logical Java type when {@code schema} has a logical type: BigDecimal, Instant, LocalDate,
     * LocalTime; otherwise the value unchanged.
     */
    public static Object logicalValue(Schema schema, Object value) {
        LogicalType logical = schema.getLogicalType();
        if (value == null || logical == null) {
            return value;
        }
        if (logical instanceof LogicalTypes.Decimal decimal) {
            if (value instanceof BigDecimal) {
                return value;
            }
            byte[] bytes = value instanceof ByteBuffer buffer ? bytes(buffer) : ((GenericFixed) value).bytes();
            return new BigDecimal(new BigInteger(bytes), decimal.getScale());
        }
        if (value instanceof Number number) {
            long n = number.longValue();
            return switch (logical.getName()) {
                case "timestamp-millis" -> Instant.ofEpochMilli(n);
                case "timestamp-micros" -> micros(n);
                case "local-timestamp-millis" -> LocalDateTime.ofInstant(Instant.ofEpochMilli(n), ZoneOffset.UTC);
                case "local-timestamp-micros" -> LocalDateTime.ofInstant(micros(n), ZoneOffset.UTC);
                case "date" -> LocalDate.ofEpochDay(n);
                case "time-millis" -> LocalTime.ofNanoOfDay(n * 1_000_000L);
                case "time-micros" -> LocalTime.ofNanoOfDay(n * 1_000L);
                default -> value;
            };
        }
        return value;
    }

    private static Instant micros(long n) {
        return Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000L), Math.floorMod(n, 1_000_000L) * 1_000L);
    }

    /**
     * The raw Avro form of a logical value (BigDecimal → bytes at the schema's scale, Instant → epoch millis or
     * micros, LocalDate → epoch day), as every registry serializer accepts; other values unchanged.
     */
    public static Object rawValue(Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        Schema s = nonNull(schema);
        LogicalType logical = s.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal decimal && value instanceof BigDecimal big) {
            return new Conversions.DecimalConversion().toBytes(
                    big.setScale(decimal.getScale(), java.math.RoundingMode.UNNECESSARY), s, logical);
        }
        if (value instanceof Instant instant) {
            return logical != null && logical.getName().endsWith("micros")
                    ? Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000L)
                    : instant.toEpochMilli();
        }
        if (value instanceof LocalDate date) {
            return (int) date.toEpochDay();
        }
        return value;
    }

    static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
