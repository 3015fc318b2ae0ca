package io.lakestream.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * SQL expressions in the config (derive, filter, measures' expr and where, alert rules): what a valid pipeline
 * becomes, and one test per class of expression error ({@code config/expression-errors.csv}: each row edits the
 * valid base and names the single problem, with its YAML path and its position in the expression).
 */
class ExpressionConfigTest {

    static final String VALID = ConfigYaml.CLAIMS_HEAD + """
                protect:
                  hash-secret: "0123456789abcdef0123456789abcdef"
                  fields:
                    adjuster: hash
                derive:
                  - name: amount_x2
                    expr: "amount * 2"
                  - name: claim_hour
                    expr: "EXTRACT(HOUR FROM claim_ts)"
                filter: "status <> 'OPEN'"
                aggregations:
                  - name: by_account
                    group-by: account_id
                    window:
                      size: 100s
                    measures:
                      - name: n
                        fn: count
                        where: "currency = 'EUR'"
                      - name: total
                        fn: sum
                        expr: "amount_x2"
                alerts:
                  rules:
                    - name: big
                      when: "amount_x2 > 1000 AND claim_hour < 6"
            """;

    @Test
    void shouldTypeDerivedColumnsIntoTheRecordsSchemaAfterProtection() throws Exception {
        PipelineConfig p = ConfigLoader.parse(VALID, ConfigYaml.SCHEMA_DIR, Map.of(), "test").pipelines().get(0);

        assertThat(p.derive()).containsExactly(new PipelineConfig.DerivedColumn("amount_x2", "amount * 2"),
                new PipelineConfig.DerivedColumn("claim_hour", "EXTRACT(HOUR FROM claim_ts)"));
        assertThat(p.filter()).isEqualTo("status <> 'OPEN'");
        assertThat(p.aggregations().get(0).measures().get(0).where()).isEqualTo("currency = 'EUR'");
        assertThat(p.alerts().rules().get(0).when()).isEqualTo("amount_x2 > 1000 AND claim_hour < 6");

        Schema records = RecordSchemas.records(ConfigLoader.schemaOf(p), p);
        // decimal(12, 2) * INTEGER (DECIMAL(10, 0)) is DECIMAL(22, 2): exact, with room for the product.
        assertThat(records.getField("amount_x2").schema().getLogicalType()).isEqualTo(LogicalTypes.decimal(22, 2));
        assertThat(records.getField("amount_x2").getProp(RecordSchemas.EXPRESSION_PROPERTY)).isEqualTo("amount * 2");
        assertThat(records.getField("claim_hour").schema().getType()).isEqualTo(Schema.Type.LONG);
        // Expressions read the protected record: the hashed field is a string there.
        assertThat(records.getField("adjuster").schema().getTypes().get(1).getType()).isEqualTo(Schema.Type.STRING);
    }

    @ParameterizedTest(name = "{2}")
    @CsvFileSource(resources = "/config/expression-errors.csv", delimiter = '|', quoteCharacter = '`',
            numLinesToSkip = 1)
    void shouldReportExactlyThisProblem(String find, String replaceWith, String expected) {
        assertThat(ConfigYaml.refusedEdit(VALID, find, replaceWith, ConfigYaml.SCHEMA_DIR, Map.of()).problems())
                .containsExactly(expected.replace("\\n", "\n"));
    }
}
