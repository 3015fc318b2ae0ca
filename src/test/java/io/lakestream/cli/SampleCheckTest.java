package io.lakestream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.ConfigLoader;
import io.lakestream.config.PipelineConfig;
import io.lakestream.config.RecordSchemas;
import io.lakestream.record.NormalizeOutcome.Normalized;
import io.lakestream.sink.PartitionCardinality;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;

/**
 * {@code check --sample}'s partition-value cardinality: distinct partition value lists per records table and the
 * most one landing window of one source partition holds, against {@code landing.max-partition-values}.
 */
class SampleCheckTest {

    static final long HOUR_10 = Instant.parse("2024-05-01T10:00:00Z").toEpochMilli();

    private static PipelineConfig pipeline(String landing) throws Exception {
        return ConfigLoader.parse(Files.readString(Path.of("config/claims.yaml"))
                        .replace("partition-by: [dt, hour]", landing)
                        .replace("../schemas/claim.avsc", Path.of("schemas/claim.avsc").toAbsolutePath().toString()),
                Path.of("config"), Map.of(), "test").pipelines().get(0);
    }

    private static Normalized record(Schema schema, String currency, long eventTime, int partition) {
        GenericData.Record value = new GenericData.Record(schema);
        value.put("currency", currency);
        return new Normalized("k", value, eventTime, "onprem.claims.raw", partition, 0, eventTime);
    }

    private static String print(PipelineConfig p, Map<String, PartitionCardinality.Table> tables) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SampleCheck.print(new SampleCheck.Result(p.name(), 6, Map.of(), Map.of(), 0.05, Map.of("onprem.claims.raw-0",
                6L), tables), p, new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldCountPartitionValueListsPerTableAndPerWindowOfASourcePartitionAgainstTheLimit() throws Exception {
        PipelineConfig p = pipeline("partition-by: [dt, hour, {field: currency}], max-partition-values: 2");
        Schema schema = RecordSchemas.records(ConfigLoader.schemaOf(p), p);
        PartitionCardinality cardinality = new PartitionCardinality(p, schema);
        // One 100 s window of partition 0 holds three currencies; partition 1 and a later window hold one each.
        for (String currency : List.of("EUR", "USD", "GBP", "EUR")) {
            cardinality.add(record(schema, currency, HOUR_10 + 1_000, 0));
        }
        cardinality.add(record(schema, "JPY", HOUR_10 + 2_000, 1));
        cardinality.add(record(schema, "EUR", HOUR_10 + 200_000, 0));

        PartitionCardinality.Table table = cardinality.tables().get("claims");
        assertThat(cardinality.tables()).containsOnlyKeys("claims");
        assertThat(table.distinct()).isEqualTo(4);
        assertThat(table.perWindowMax()).isEqualTo(3);
        assertThat(table.limit()).isEqualTo(2);
        assertThat(table.overLimit()).isTrue();
        assertThat(print(p, cardinality.tables())).contains("  table claims: 4 partition value list(s) of (dt, hour, "
                + "currency) in the sample, at most 3 in one landing window of one source partition: WARN more than"
                + " landing.max-partition-values = 2, the rest would land in the __LAKESTREAM_OVERFLOW__ partition");
    }

    @Test
    void shouldCountTimeColumnsWithoutALimit() throws Exception {
        PipelineConfig p = pipeline("partition-by: [dt, hour]");
        Schema schema = RecordSchemas.records(ConfigLoader.schemaOf(p), p);
        PartitionCardinality cardinality = new PartitionCardinality(p, schema);
        cardinality.add(record(schema, "EUR", HOUR_10, 0));
        cardinality.add(record(schema, "USD", HOUR_10 + 3_600_000, 0));
        cardinality.add(record(schema, "USD", HOUR_10 + 3_600_001, 0));

        assertThat(cardinality.tables().get("claims")).isEqualTo(new PartitionCardinality.Table(List.of("dt", "hour"),
                2, 1, 0));
        assertThat(print(p, cardinality.tables())).contains("  table claims: 2 partition value list(s) of (dt, hour)"
                + " in the sample, at most 1 in one landing window of one source partition\n");
    }
}
