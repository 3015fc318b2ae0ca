package io.lakestream.catalog;

import io.lakestream.config.FileFormat;
import java.util.Map;

/**
 * The Hive storage descriptor (SerDe, input and output format) each file format is read with, shared by the
 * Glue and local catalog adapters so that Athena, Spark and Hive read the objects the sink writes.
 */
public final class StorageFormats {

    private static final String TEXT_INPUT = "org.apache.hadoop.mapred.TextInputFormat";
    private static final String TEXT_OUTPUT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";

    /**
     * @param serializationLibrary SerDe class
     * @param serdeParameters      SerDe parameters
     * @param tableParameters      extra table parameters ({@code classification}, header skipping)
     */
    public record StorageFormat(String serializationLibrary, String inputFormat, String outputFormat,
                                Map<String, String> serdeParameters, Map<String, String> tableParameters) {
    }

    private StorageFormats() {
    }

    public static StorageFormat of(FileFormat format) {
        return switch (format) {
            case PARQUET -> new StorageFormat("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
                    "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
                    "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
                    Map.of("serialization.format", "1"), Map.of("classification", "parquet"));
            case AVRO -> new StorageFormat("org.apache.hadoop.hive.serde2.avro.AvroSerDe",
                    "org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat",
                    "org.apache.hadoop.hive.ql.io.avro.AvroContainerOutputFormat",
                    Map.of(), Map.of("classification", "avro"));
            // OpenCSVSerde understands RFC 4180 quoting; the header row written by the sink is skipped.
            case CSV -> new StorageFormat("org.apache.hadoop.hive.serde2.OpenCSVSerde", TEXT_INPUT, TEXT_OUTPUT,
                    Map.of("separatorChar", ",", "quoteChar", "\"", "escapeChar", "\\"),
                    Map.of("classification", "csv", "skip.header.line.count", "1"));
            case JSONL -> new StorageFormat("org.openx.data.jsonserde.JsonSerDe", TEXT_INPUT, TEXT_OUTPUT,
                    Map.of(), Map.of("classification", "json"));
        };
    }
}
