package io.lakestream.infer;

import io.lakestream.config.PipelineConfig.CsvOptions;
import io.lakestream.config.PipelineConfig.InputFormat;
import io.lakestream.config.PipelineConfig.SourceConfig;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.lakestream.infer.Samples.field;
import static io.lakestream.infer.Samples.utf8;
import static io.lakestream.infer.Samples.valueType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchemaInferrerCsvTest {

    private static final CsvOptions WITH_HEADER = new CsvOptions(true, ',', '"', null);
    private static final String HEADER = "accountId,claimId,amount,currency,status,claimTs,approved,count\n";

    private final SchemaInferrer inferrer = new SchemaInferrer("Claim", "io.lakestream.claims");

    @Test
    void shouldInferTypesFromCsvWithAHeaderLine() {
        InferredSchema inferred = inferrer.inferCsv(utf8(
                HEADER + "A-1,C-1,1234.50,EUR,OPEN,2024-05-01T10:00:00Z,true,3\n",
                HEADER + "A-2,C-2,99.95,USD,CLOSED,2024-05-01T10:00:01Z,FALSE,4000000000\n"), WITH_HEADER);

        assertThat(inferred.fields()).extracting(InferredField::name).containsExactly("account_id", "claim_id",
                "amount", "currency", "status", "claim_ts", "approved", "count");
        assertThat(inferred.fields()).extracting(InferredField::sourcePath).containsExactly("accountId", "claimId",
                "amount", "currency", "status", "claimTs", "approved", "count");
        assertThat(field(inferred, "amount").typeName()).isEqualTo("decimal(6,2)");
        assertThat(field(inferred, "claim_ts").schema().getLogicalType()).isEqualTo(LogicalTypes.timestampMillis());
        assertThat(field(inferred, "approved").schema().getType()).isEqualTo(Schema.Type.BOOLEAN);
        assertThat(field(inferred, "count").schema().getType()).isEqualTo(Schema.Type.LONG);
        assertThat(field(inferred, "status").notes()).singleElement().asString().startsWith("enum candidate");
    }

    @Test
    void shouldReadIntegerCellsAsNumbersButKeepLeadingZeros() {
        InferredSchema inferred = inferrer.inferCsv(utf8("n,zip\n42,01234\n"), WITH_HEADER);

        assertThat(field(inferred, "n").schema().getType()).isEqualTo(Schema.Type.INT);
        assertThat(field(inferred, "zip").schema().getType()).isEqualTo(Schema.Type.STRING);
    }

    @Test
    void shouldReadConfiguredColumnsWithACustomDelimiterAndQuote() {
        CsvOptions options = new CsvOptions(false, ';', '\'', List.of("id", "note", "amount"));

        InferredSchema inferred = inferrer.inferCsv(utf8("1;'a; quoted';1,5", "2;plain;2.25"), options);

        assertThat(inferred.rejectedSamples()).isEmpty();
        assertThat(field(inferred, "id").schema().getType()).isEqualTo(Schema.Type.INT);
        assertThat(field(inferred, "note").schema().getType()).isEqualTo(Schema.Type.STRING);
        assertThat(field(inferred, "amount").notes()).singleElement().asString().startsWith("mixed types");
    }

    @Test
    void shouldMakeEmptyCellsNull() {
        InferredSchema inferred = inferrer.inferCsv(utf8("a,b\n1,x\n", "a,b\n2,\n"), WITH_HEADER);

        assertThat(field(inferred, "b").nullable()).isTrue();
        assertThat(field(inferred, "b").nullCount()).isEqualTo(1);
        assertThat(field(inferred, "a").nullable()).isFalse();
    }

    @Test
    void shouldMapColumnsByNameWhenHeadersDifferInOrder() {
        InferredSchema inferred = inferrer.inferCsv(utf8("a,b\n1,x\n", "b,a,c\ny,2,2024-05-01\n"), WITH_HEADER);

        assertThat(inferred.fields()).extracting(InferredField::name).containsExactly("a", "b", "c");
        assertThat(field(inferred, "a").schema().getType()).isEqualTo(Schema.Type.INT);
        assertThat(valueType(inferred, "c").getLogicalType()).isEqualTo(LogicalTypes.date());
    }

    @Test
    void shouldCountCsvSamplesThatTheNormalizeStageWouldReject() {
        InferredSchema inferred = inferrer.inferCsv(utf8("a,b\n1,2\n", "a,b\n1,2,3\n", "a,b\n1,2\n3,4\n", "a,b\n",
                "a,a\n1,2\n", "a,b\n\"1,2\n"), WITH_HEADER);

        assertThat(inferred.rejectedSamples()).extracting(RejectedSample::index).containsExactly(1, 2, 3, 4, 5);
        assertThat(inferred.rejectedSamples()).extracting(RejectedSample::reason).satisfiesExactly(
                reason -> assertThat(reason).isEqualTo("expected 2 columns, found 3"),
                reason -> assertThat(reason).isEqualTo("expected one data row, found 2"),
                reason -> assertThat(reason).isEqualTo("expected one data row, found 0"),
                reason -> assertThat(reason).isEqualTo("duplicate column 'a' in the header line"),
                reason -> assertThat(reason).startsWith("malformed CSV: "));
    }

    @Test
    void shouldCountColumnCountMismatchAgainstConfiguredColumns() {
        CsvOptions options = new CsvOptions(false, ',', '"', List.of("a", "b"));

        InferredSchema inferred = inferrer.inferCsv(utf8("1,2", "1"), options);

        assertThat(inferred.rejectedSamples()).containsExactly(new RejectedSample(1, "expected 2 columns, found 1"));
    }

    @Test
    void shouldRequireColumnsWhenThereIsNoHeader() {
        assertThatThrownBy(() -> inferrer.inferCsv(utf8("1,2"), new CsvOptions(false, ',', '"', List.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("csv: without a header line, columns must name the columns");
    }

    @Test
    void shouldDispatchOnTheSourceFormatOfAPipeline() {
        SourceConfig csv = new SourceConfig(List.of("raw"), InputFormat.CSV, WITH_HEADER);
        SourceConfig json = new SourceConfig(List.of("raw"), InputFormat.JSON, null);

        assertThat(inferrer.infer(utf8("a\n1\n"), csv).fields()).extracting(InferredField::sourcePath)
                .containsExactly("a");
        assertThat(inferrer.infer(utf8("{\"a\":1}"), json).fields()).extracting(InferredField::sourcePath)
                .containsExactly("$.a");
        assertThatThrownBy(() -> inferrer.infer(utf8("a\n1\n"), new SourceConfig(List.of("raw"), InputFormat.CSV, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("source.csv: options are required for format csv");
    }
}
