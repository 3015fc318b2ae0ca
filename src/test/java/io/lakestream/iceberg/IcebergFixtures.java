package io.lakestream.iceberg;

import io.lakestream.config.FileFormat;
import io.lakestream.config.TableFormatConfig;
import io.lakestream.config.TableFormatConfig.PartitionField;
import io.lakestream.sink.LandingEvent;
import io.lakestream.sink.format.FormatWriter;
import io.lakestream.sink.format.WrittenFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** Landed Parquet files of a small table, written by the sink's own Parquet writer, and their landing events. */
final class IcebergFixtures {

    static final String DATABASE = "lake";
    static final String TABLE = "claims";
    static final String PREFIX = "lakestream/";
    static final long HOUR_10 = Instant.parse("2024-05-01T10:00:00Z").toEpochMilli();

    static final Schema V1 = new Schema.Parser().parse("""
            {"type": "record", "name": "Claim", "fields": [
              {"name": "claim_id", "type": "string"},
              {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 2}},
              {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["OPEN", "PAID"]}},
              {"name": "claim_ts", "type": {"type": "long", "logicalType": "timestamp-millis"}},
              {"name": "day", "type": {"type": "int", "logicalType": "date"}},
              {"name": "tags", "type": {"type": "array", "items": "string"}},
              {"name": "attrs", "type": {"type": "map", "values": "long"}},
              {"name": "policy", "type": ["null", {"type": "record", "name": "Policy", "fields": [
                {"name": "number", "type": "string"}]}], "default": null},
              {"name": "_source_topic", "type": "string"},
              {"name": "_source_partition", "type": "int"},
              {"name": "_source_offset", "type": "long"},
              {"name": "_kafka_timestamp", "type": {"type": "long", "logicalType": "timestamp-millis"}},
              {"name": "_late", "type": "boolean"}]}""");

    /** V1 plus an optional field, as a backward-compatible registry version adds it. */
    static final Schema V2 = withField(V1, new Schema.Field("adjuster",
            Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)), null,
            Schema.Field.NULL_DEFAULT_VALUE));

    /** The landings topic the test committers read. */
    static final String LANDINGS = "it.landings";

    private IcebergFixtures() {
    }

    static TableHealth health() {
        return new TableHealth(new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), System::currentTimeMillis);
    }

    static TableFormatConfig formats(PartitionField... spec) {
        return new TableFormatConfig(TableFormatConfig.ICEBERG, Duration.ofSeconds(10),
                Map.of(TABLE, new TableFormatConfig.IcebergTableConfig(TABLE, List.of(spec), "claim_ts")));
    }

    static PartitionField hour() {
        return new PartitionField("hour", "claim_ts", 0);
    }

    static Schema withField(Schema base, Schema.Field extra) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : base.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(fields.size() - 5, extra);
        return Schema.createRecord(base.getName(), null, null, false, fields);
    }

    /** One row per offset in [first, last], event time in hour 10 of 2024-05-01. */
    static List<GenericRecord> rows(Schema schema, long first, long last) {
        List<GenericRecord> rows = new ArrayList<>();
        for (long o = first; o <= last; o++) {
            GenericData.Record r = new GenericData.Record(schema);
            r.put("claim_id", schema.getField("claim_id").schema().getType() == Schema.Type.INT ? (Object) (int) o
                    : "c" + o);
            r.put("amount", new BigDecimal(o + ".05"));
            r.put("status", new GenericData.EnumSymbol(schema.getField("status").schema(), o % 2 == 0 ? "OPEN" : "PAID"));
            r.put("claim_ts", Instant.ofEpochMilli(HOUR_10 + o * 1000));
            r.put("day", java.time.LocalDate.of(2024, 5, 1));
            r.put("tags", List.of("t" + o, "x"));
            r.put("attrs", Map.of("k", o));
            r.put("policy", null);
            if (schema.getField("adjuster") != null) {
                r.put("adjuster", "a" + o);
            }
            r.put("_source_topic", "raw");
            r.put("_source_partition", 0);
            r.put("_source_offset", o);
            r.put("_kafka_timestamp", Instant.ofEpochMilli(HOUR_10));
            r.put("_late", false);
            rows.add(r);
        }
        return rows;
    }

    /**
     * Writes a file under the table's data folder of {@code lake} and returns its landing event, which carries the
     * file's statistics as the sink's does.
     */
    static LandingEvent land(Path lake, Schema schema, long first, long last) {
        IcebergLayout layout = new IcebergLayout(PREFIX, TABLE, "claim_ts", List.of(hour()));
        String key = layout.partitionPath(List.of("2024-05-01-10")) + HOUR_10 + "-raw-0-" + first + ".parquet";
        Path file = lake.resolve(key);
        WrittenFile written = FormatWriter.of(FileFormat.PARQUET, "snappy").writeFile(schema, rows(schema, first, last));
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, written.content());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new LandingEvent(TABLE, Map.of("claim_ts_hour", "2024-05-01-10"), key, file.toString(),
                last - first + 1, "raw", 0, first, last, HOUR_10, HOUR_10 + 100_000, false,
                layout.committer(() -> null).describe(file.toString(), written));
    }

    /**
     * The event a replay publishes for a file it finds already written, or one of a version before statistics: the
     * same, without statistics.
     */
    static LandingEvent withoutStatistics(LandingEvent e) {
        return new LandingEvent(e.table(), e.partition(), e.objectKey(), e.uri(), e.rowCount(), e.sourceTopic(),
                e.sourcePartition(), e.firstOffset(), e.lastOffset(), e.windowStart(), e.windowEnd(), e.late());
    }

    static String tableLocation(Path lake) {
        return lake.resolve(PREFIX + TABLE).toString();
    }
}
