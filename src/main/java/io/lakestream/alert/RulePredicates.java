package io.lakestream.alert;

import io.lakestream.config.AlertConfig;
import io.lakestream.config.FieldKind;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Predicate;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Compiles a type-checked {@link AlertConfig.Condition} into a predicate over clear normalized records. The config
 * loader has already converted every literal to the field's comparable form, so evaluation cannot fail on a
 * well-formed record. A null field value matches no comparison (and so matches {@code not} of one).
 */
final class RulePredicates {

    private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

    private RulePredicates() {
    }

    static Predicate<GenericRecord> compile(AlertConfig.Condition condition, Schema schema) {
        if (condition instanceof AlertConfig.All all) {
            return all(all.conditions().stream().map(c -> compile(c, schema)).toList());
        }
        if (condition instanceof AlertConfig.Any any) {
            return any(any.conditions().stream().map(c -> compile(c, schema)).toList());
        }
        if (condition instanceof AlertConfig.Not not) {
            return compile(not.condition(), schema).negate();
        }
        AlertConfig.Compare compare = (AlertConfig.Compare) condition;
        return compare(compare, schema.getField(compare.field()));
    }

    private static Predicate<GenericRecord> all(List<Predicate<GenericRecord>> parts) {
        return r -> parts.stream().allMatch(p -> p.test(r));
    }

    private static Predicate<GenericRecord> any(List<Predicate<GenericRecord>> parts) {
        return r -> parts.stream().anyMatch(p -> p.test(r));
    }

    private static Predicate<GenericRecord> compare(AlertConfig.Compare c, Schema.Field field) {
        int pos = field.pos();
        Schema type = FieldKind.nonNull(field.schema());
        FieldKind kind = FieldKind.of(field.schema());
        return record -> {
            Object raw = record.get(pos);
            if (raw == null) {
                return false;
            }
            Comparable<Object> value = comparable(raw, type, kind);
            return switch (c.op()) {
                case EQ -> value.compareTo(c.operands().get(0)) == 0;
                case NE -> value.compareTo(c.operands().get(0)) != 0;
                case GT -> value.compareTo(c.operands().get(0)) > 0;
                case GE -> value.compareTo(c.operands().get(0)) >= 0;
                case LT -> value.compareTo(c.operands().get(0)) < 0;
                case LE -> value.compareTo(c.operands().get(0)) <= 0;
                case IN -> c.operands().stream().anyMatch(o -> value.compareTo(o) == 0);
            };
        };
    }

    /** The record's value in the same Java type as the rule's literals (see {@link AlertConfig.Compare}). */
    @SuppressWarnings("unchecked")
    private static Comparable<Object> comparable(Object raw, Schema type, FieldKind kind) {
        Object v = switch (kind) {
            case DECIMAL -> raw instanceof ByteBuffer b
                    ? DECIMALS.fromBytes(b.duplicate(), type, type.getLogicalType())
                    : DECIMALS.fromFixed((GenericData.Fixed) raw, type, (LogicalTypes.Decimal) type.getLogicalType());
            case INTEGER -> BigDecimal.valueOf(((Number) raw).longValue());
            case FLOATING -> BigDecimal.valueOf(((Number) raw).doubleValue());
            case STRING, ENUM -> raw.toString();
            default -> raw; // Long timestamps, Integer dates, Boolean: already the literal's type
        };
        return (Comparable<Object>) v;
    }
}
