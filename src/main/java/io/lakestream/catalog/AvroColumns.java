package io.lakestream.catalog;

import io.lakestream.catalog.TableDefinition.Column;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * Maps Avro schemas to Hive/Glue column types, as Athena and Spark read them: string, enum → string;
 * int → int (date → date); long → bigint (timestamp-millis/micros → timestamp); float, double, boolean;
 * decimal(p,s); bytes/fixed → binary; array&lt;T&gt;; map&lt;string,T&gt;; record → struct&lt;name:T,...&gt;;
 * a nullable union → its non-null type (every Hive column is nullable).
 */
public final class AvroColumns {

    private AvroColumns() {
    }

    /** One column per field of {@code record}, in field order, with the field doc as comment. */
    public static List<Column> columns(Schema record) {
        return record.getFields().stream()
                .map(f -> new Column(f.name(), hiveType(f.schema(), f.name()), f.doc()))
                .toList();
    }

    /**
     * @param path where the type occurs, for the error message
     * @throws IllegalArgumentException for unions of several non-null types, which Athena cannot read
     */
    public static String hiveType(Schema schema, String path) {
        LogicalType logical = schema.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal d) {
            return "decimal(" + d.getPrecision() + "," + d.getScale() + ")";
        }
        if (logical != null) {
            switch (logical.getName()) {
                case "date":
                    return "date";
                case "timestamp-millis", "timestamp-micros", "local-timestamp-millis", "local-timestamp-micros":
                    return "timestamp";
                default:
                    break;
            }
        }
        return switch (schema.getType()) {
            case STRING, ENUM -> "string";
            case INT -> "int";
            case LONG -> "bigint";
            case FLOAT -> "float";
            case DOUBLE -> "double";
            case BOOLEAN -> "boolean";
            case BYTES, FIXED -> "binary";
            case ARRAY -> "array<" + hiveType(schema.getElementType(), path + "[]") + ">";
            case MAP -> "map<string," + hiveType(schema.getValueType(), path + "{}") + ">";
            case RECORD -> schema.getFields().stream()
                    .map(f -> f.name() + ":" + hiveType(f.schema(), path + "." + f.name()))
                    .collect(Collectors.joining(",", "struct<", ">"));
            case UNION -> union(schema, path);
            case NULL -> throw new IllegalArgumentException(path + ": a field that is always null has no column type");
        };
    }

    private static String union(Schema union, String path) {
        List<Schema> nonNull = union.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
        if (nonNull.size() != 1) {
            throw new IllegalArgumentException(path + ": union " + union
                    + " has several non-null branches; only [\"null\", T] unions map to a column type");
        }
        return hiveType(nonNull.get(0), path);
    }
}
