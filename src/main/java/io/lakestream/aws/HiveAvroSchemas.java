package io.lakestream.aws;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import software.amazon.awssdk.services.glue.model.Column;

/**
 * The {@code avro.schema.literal} SerDe parameter of Avro tables, derived from the table's Hive columns: Athena's
 * AvroSerDe reads files through this schema and refuses a table without it. Every field is nullable with a
 * null default, so any writer schema with the same field names and types resolves against it.
 */
final class HiveAvroSchemas {

    static final String LITERAL = "avro.schema.literal";
    private static final Pattern DECIMAL = Pattern.compile("decimal\\((\\d+),\\s*(\\d+)\\)");

    private HiveAvroSchemas() {
    }

    /** The literal for {@code columns}, or empty when a column has a type without a plain Avro equivalent. */
    static Optional<String> literal(String table, List<Column> columns) {
        var fields = new java.util.ArrayList<Schema.Field>();
        for (Column column : columns) {
            Schema type = avroType(column.type().trim().toLowerCase(java.util.Locale.ROOT));
            if (type == null) {
                return Optional.empty();
            }
            fields.add(new Schema.Field(column.name(), Schema.createUnion(Schema.create(Schema.Type.NULL), type),
                    column.comment(), Schema.Field.NULL_DEFAULT_VALUE));
        }
        return Optional.of(Schema.createRecord(table.replaceAll("[^A-Za-z0-9_]", "_"), null, "lakestream", false,
                fields).toString());
    }

    private static Schema avroType(String hive) {
        Matcher decimal = DECIMAL.matcher(hive);
        if (decimal.matches()) {
            return LogicalTypes.decimal(Integer.parseInt(decimal.group(1)), Integer.parseInt(decimal.group(2)))
                    .addToSchema(Schema.create(Schema.Type.BYTES));
        }
        if (hive.startsWith("varchar") || hive.startsWith("char")) {
            return Schema.create(Schema.Type.STRING);
        }
        return switch (hive) {
            case "string" -> Schema.create(Schema.Type.STRING);
            case "tinyint", "smallint", "int" -> Schema.create(Schema.Type.INT);
            case "bigint" -> Schema.create(Schema.Type.LONG);
            case "float" -> Schema.create(Schema.Type.FLOAT);
            case "double" -> Schema.create(Schema.Type.DOUBLE);
            case "boolean" -> Schema.create(Schema.Type.BOOLEAN);
            case "binary" -> Schema.create(Schema.Type.BYTES);
            case "date" -> LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
            case "timestamp" -> LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
            default -> null;
        };
    }
}
