package io.lakestream.normalize;

import static io.lakestream.normalize.StageHarness.header;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.PipelineConfig;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The payments example (config/payments-csv.yaml): headerless ';' CSV, local Paris times. */
class NormalizeStageCsvTest {

    private final StageHarness stage = new StageHarness("config/payments-csv.yaml");

    @AfterEach
    void close() {
        stage.close();
    }

    @Test
    void shouldWriteTypedPaymentFromCsvRow() {
        stage.send("k", "P-1;CL-1;1234.50;EUR;31/01/2024 10:15:30;2024-02-01;\"line one\nline \"\"two\"\"; end\"");

        TestRecord<String, GenericRecord> out = stage.normalized().get(0);
        GenericRecord payment = out.value();
        assertThat(out.key()).isEqualTo("CL-1|P-1");
        assertThat(out.getRecordTime()).isEqualTo(Instant.parse("2024-01-31T12:00:00Z"));
        assertThat(payment.get("payment_id").toString()).isEqualTo("P-1");
        assertThat(NormalizeStageJsonTest.decimal(payment, "amount")).hasToString("1234.50");
        assertThat(payment.get("paid_at")).isEqualTo(Instant.parse("2024-01-31T09:15:30Z").toEpochMilli());
        assertThat(payment.get("value_date")).isEqualTo((int) LocalDate.of(2024, 2, 1).toEpochDay());
        assertThat(payment.get("reference").toString()).isEqualTo("line one\nline \"two\"; end");
    }

    @Test
    void shouldTreatEmptyCellsOfOptionalFieldsAsNull() {
        stage.send("k", "P-1;CL-1;5;EUR;31/01/2024 10:15:30;;\r\n");

        GenericRecord payment = stage.normalized().get(0).value();
        assertThat(payment.get("value_date")).isNull();
        assertThat(payment.get("reference")).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "CSV_COLUMN_COUNT|P-1;CL-1;5;EUR;31/01/2024 10:15:30;|expected 7 columns [id, claim, amount, currency,"
                    + " paid, value_date, reference], found 6 in the data row",
            "CSV_UNBALANCED_QUOTE|P-1;CL-1;5;EUR;31/01/2024 10:15:30;;\"open|unbalanced quote \": (startline 1) EOF"
                    + " reached before encapsulated token finished",
            "CSV_UNBALANCED_QUOTE|P-1;CL-1;5;EUR;31/01/2024 10:15:30;;\"a\"b|unbalanced quote \": Invalid character"
                    + " between encapsulated token and delimiter at line: 1, position: 40",
            "MISSING_FIELD|P-1;CL-1;;EUR;31/01/2024 10:15:30;;|field amount (source amount): required field is missing",
            "BAD_TIMESTAMP|P-1;CL-1;5;EUR;2024-01-31T10:15:30Z;;|field paid_at (source paid): expected a timestamp of"
                    + " pattern dd/MM/yyyy HH:mm:ss, was \"2024-01-31T10:15:30Z\""})
    void shouldSendBadCsvToDlqWithOriginalBytes(String errorClass, String value, String message) {
        stage.send("k", value);

        TestRecord<byte[], byte[]> dead = stage.onlyDeadLetter();
        assertThat(header(dead, NormalizeStage.HEADER_ERROR_CLASS)).isEqualTo(errorClass);
        assertThat(header(dead, NormalizeStage.HEADER_ERROR_MESSAGE)).isEqualTo(message);
        assertThat(dead.value()).isEqualTo(value.getBytes(UTF_8));
        assertThat(header(dead, NormalizeStage.HEADER_PIPELINE)).isEqualTo("payments");
    }

    @Test
    void shouldSendAValueWithTwoRowsToDlq() {
        stage.send("k", "P-1;CL-1;5;EUR;31/01/2024 10:15:30;;\nP-2;CL-1;5;EUR;31/01/2024 10:15:30;;");

        TestRecord<byte[], byte[]> dead = stage.onlyDeadLetter();
        assertThat(header(dead, NormalizeStage.HEADER_ERROR_CLASS)).isEqualTo("CSV_ROW_COUNT");
        assertThat(header(dead, NormalizeStage.HEADER_ERROR_MESSAGE)).isEqualTo("expected one data row, found 2 line(s)");
    }

    @Test
    void shouldReadColumnsByNameFromAHeaderLine() {
        PipelineConfig p = stage.pipeline;
        PipelineConfig withHeader = new PipelineConfig(p.name(), new PipelineConfig.SourceConfig(p.source().topics(),
                PipelineConfig.InputFormat.CSV, new PipelineConfig.CsvOptions(true, ',', '\'', java.util.List.of())),
                p.schemaFile(), p.key(), p.eventTime(), p.fields(), p.outputTopic(), p.dlqTopic(), p.landing(),
                p.aggregations(), p.limits());
        try (StageHarness headed = new StageHarness(withHeader)) {
            headed.send("k", "claim,id,paid,amount,currency\nCL-9,P-9,31/01/2024 10:15:30,1.5,'E,UR'");
            headed.send("k", "claim,claim,paid\nCL-9,P-9,31/01/2024 10:15:30");

            assertThat(headed.normalized()).extracting(TestRecord::key).containsExactly("CL-9|P-9");
            assertThat(header(headed.dlq.readRecordsToList().get(0), NormalizeStage.HEADER_ERROR_CLASS))
                    .isEqualTo("DUPLICATE_KEY");
        }
    }
}
