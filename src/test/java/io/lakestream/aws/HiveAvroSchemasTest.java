package io.lakestream.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.glue.model.Column;

class HiveAvroSchemasTest {

    @Test
    void shouldMapHiveColumnsToNullableAvroFields() {
        String literal = HiveAvroSchemas.literal("claims-by-account", List.of(column("n", "bigint"),
                column("amount", "decimal(12, 2)"), column("ts", "timestamp"), column("day", "date"),
                column("code", "varchar(3)"))).orElseThrow();

        Schema schema = new Schema.Parser().parse(literal);
        assertThat(schema.getName()).isEqualTo("claims_by_account");
        assertThat(schema.getFields()).extracting(f -> f.schema().getTypes().get(0).getType())
                .containsOnly(Schema.Type.NULL);
        assertThat(schema.getField("n").schema().getTypes().get(1).getType()).isEqualTo(Schema.Type.LONG);
        assertThat(schema.getField("amount").schema().getTypes().get(1).getLogicalType())
                .isEqualTo(LogicalTypes.decimal(12, 2));
        assertThat(schema.getField("ts").schema().getTypes().get(1).getLogicalType())
                .isEqualTo(LogicalTypes.timestampMillis());
        assertThat(schema.getField("code").schema().getTypes().get(1).getType()).isEqualTo(Schema.Type.STRING);
    }

    @Test
    void shouldGiveNoLiteralForNestedTypes() {
        assertThat(HiveAvroSchemas.literal("t", List.of(column("tags", "array<string>")))).isEmpty();
    }

    private static Column column(String name, String type) {
        return Column.builder().name(name).type(type).build();
    }
}
