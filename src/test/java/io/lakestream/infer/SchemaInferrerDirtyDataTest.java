package io.lakestream.infer;

import static io.lakestream.infer.Samples.field;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.PipelineConfig.CsvOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Headerless sensor readings with a few dirty rows, as a producer really sends them. */
class SchemaInferrerDirtyDataTest {

    private static final CsvOptions HEADERLESS = new CsvOptions(false, ',', '"',
            List.of("sensor_id", "ts", "reading_time", "temperature", "humidity", "firmware", "price"));
    private static final long T0 = 1_714_557_600_000L; // 2024-05-01T10:00:00Z

    private final SchemaInferrer inferrer = new SchemaInferrer("Reading", "io.lakestream.sensors");

    /** 200 rows; rows 50 and 150 have a malformed timestamp and a malformed reading time (1 %). */
    private static List<byte[]> rows() {
        List<byte[]> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String ts = i == 50 ? "2024-05-01T25:00:00Z" : java.time.Instant.ofEpochMilli(T0 + i * 1000L).toString();
            String readingTime = i == 150 ? "n/a" : Long.toString(T0 + i * 1000L);
            String humidity = String.format(Locale.ROOT, "%.3f", 40 + (i % 7) * 1.125);
            String temperature = Double.toString(20 + (i % 13) * 0.25);
            String firmware = i % 2 == 0 ? "1.10" : "1.9";
            String price = String.format(Locale.ROOT, "%d.%02d", i, i % 100);
            rows.add(("S-" + (i % 5) + "," + ts + "," + readingTime + "," + temperature + "," + humidity + ","
                    + firmware + "," + price + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return rows;
    }

    @Test
    void shouldTypeByMajorityAndReportTheOutliersInsteadOfFallingBackToString() {
        InferredSchema inferred = inferrer.inferCsv(rows(), HEADERLESS);

        assertThat(field(inferred, "ts").typeName()).isEqualTo("timestamp-millis");
        assertThat(field(inferred, "ts").notes().get(0)).isEqualTo("1 outlier(s) of 200 value(s) (0.5 %) would go "
                + "to the dead-letter topic: string 1x, e.g. '2024-05-01T25:00:00Z' (sample 50)");
        assertThat(field(inferred, "reading_time").typeName()).isEqualTo("timestamp-millis");
        assertThat(field(inferred, "reading_time").timeFormat()).isEqualTo("epoch-millis");
        assertThat(field(inferred, "reading_time").notes().get(0)).contains("1 outlier(s)").contains("'n/a'");
    }

    @Test
    void shouldKeepMeasurementsDoubleMoneyDecimalAndVersionsString() {
        InferredSchema inferred = inferrer.inferCsv(rows(), HEADERLESS);

        assertThat(field(inferred, "humidity").typeName()).isEqualTo("double");
        assertThat(field(inferred, "humidity").notes()).singleElement().asString()
                .startsWith("double, not decimal: 3 fraction digits in every value, not cents");
        assertThat(field(inferred, "temperature").typeName()).isEqualTo("double");
        assertThat(field(inferred, "firmware").typeName()).isEqualTo("string");
        assertThat(field(inferred, "firmware").notes()).singleElement().asString().startsWith("version-like");
        assertThat(field(inferred, "price").typeName()).isEqualTo("decimal(5,2)");
    }

    @Test
    void shouldRecogniseEpochMillisWithoutATimeLikeNameAndProposeTheFirstTimestampAsEventTime() {
        List<CsvOptions> unnamed = List.of(new CsvOptions(false, ',', '"', List.of("c0", "c1", "c2")));
        List<byte[]> rows = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            rows.add(("S-1," + (T0 + i * 977L) + "," + (1_000_000 + i) + "\n").getBytes(StandardCharsets.UTF_8));
        }

        InferredSchema inferred = inferrer.inferCsv(rows, unnamed.get(0));

        assertThat(field(inferred, "c1").typeName()).isEqualTo("timestamp-millis");
        assertThat(field(inferred, "c2").typeName()).as("an id or counter is no epoch").isEqualTo("int");
        assertThat(inferred.suggestedEventTime()).hasValueSatisfying(f -> assertThat(f.name()).isEqualTo("c1"));
    }
}
