package io.lakestream.normalize;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.ConfigLoader;
import io.lakestream.config.PipelineConfig;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.apache.avro.generic.GenericRecord;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

class NormalizerPropertiesTest {

    private final Normalizer claims = TestPipelines.normalizer(
            ConfigLoader.load(Path.of("config/claims.yaml"), Map.of()).pipelines().get(0));
    private final Normalizer payments = TestPipelines.normalizer(
            ConfigLoader.load(Path.of("config/payments-csv.yaml"), Map.of()).pipelines().get(0));

    /** decimal(12,2) values written with 0, 1 or 2 fraction digits. */
    @Provide
    Arbitrary<BigDecimal> money() {
        return Arbitraries.integers().between(0, 2).flatMap(scale -> {
            BigInteger max = BigInteger.TEN.pow(10 + scale).subtract(BigInteger.ONE);
            return Arbitraries.bigIntegers().between(max.negate(), max).map(unscaled -> new BigDecimal(unscaled, scale));
        });
    }

    @Property
    void shouldKeepEveryDecimal122ExactlyFromJsonNumberAndText(@ForAll("money") BigDecimal amount) {
        for (String json : new String[] {amount.toPlainString(), "\"" + amount.toPlainString() + "\""}) {
            GenericRecord r = claims.normalize(NormalizeStageJsonTest.CLAIM.replace("1234.50", json).getBytes(UTF_8))
                    .value();

            assertThat(NormalizeStageJsonTest.decimal(r, "amount")).isEqualTo(amount.setScale(2));
        }
    }

    @Property
    void shouldReadEveryIsoInstantInRangeBackAsItsEpochMillis(
            @ForAll @LongRange(min = 0, max = 253_402_300_799_999L) long millis) {
        String iso = Instant.ofEpochMilli(millis).toString();

        long eventTime = claims.normalize(NormalizeStageJsonTest.CLAIM.replace("2024-01-31T10:15:30.123+01:00", iso)
                .getBytes(UTF_8)).eventTimeMillis();

        assertThat(eventTime).isEqualTo(millis);
    }

    @Property
    void shouldReadBackAnyTextCellWrittenByAnRfc4180Writer(@ForAll String reference) throws Exception {
        String text = reference.replace('\r', ' ').replace('\0', ' ');
        PipelineConfig.CsvOptions csv = ConfigLoader.load(Path.of("config/payments-csv.yaml"), Map.of()).pipelines()
                .get(0).source().csv();
        StringWriter row = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(row, CSVFormat.RFC4180.builder().setDelimiter(csv.delimiter())
                .setQuote(csv.quote()).setRecordSeparator("").get())) {
            printer.printRecord("P-1", "CL-1", "5", "EUR", "31/01/2024 10:15:30", "", text);
        }

        Object parsed = payments.normalize(row.toString().getBytes(UTF_8)).value().get("reference");

        assertThat(parsed == null ? "" : parsed.toString()).isEqualTo(text);
    }
}
