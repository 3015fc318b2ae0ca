package io.lakestream.aws;

import io.lakestream.config.FileFormat;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.SerDeInfo;
import software.amazon.awssdk.services.glue.model.StorageDescriptor;

/**
 * The Hive storage descriptor and table parameters that let Athena, Spark and the Glue console read each
 * file format lakestream writes.
 */
enum GlueStorageFormats {

    PARQUET(FileFormat.PARQUET, "parquet",
            "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
            "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
            "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
            Map.of("serialization.format", "1"), Map.of()),
    // The CSV writer puts a header line first in every object; Athena must skip it.
    CSV(FileFormat.CSV, "csv",
            "org.apache.hadoop.mapred.TextInputFormat",
            "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
            "org.apache.hadoop.hive.serde2.OpenCSVSerde",
            Map.of("separatorChar", ",", "quoteChar", "\"", "escapeChar", "\\"),
            Map.of("skip.header.line.count", "1")),
    AVRO(FileFormat.AVRO, "avro",
            "org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat",
            "org.apache.hadoop.hive.ql.io.avro.AvroContainerOutputFormat",
            "org.apache.hadoop.hive.serde2.avro.AvroSerDe",
            Map.of(HiveAvroSchemas.LITERAL, ""), Map.of()),
    JSONL(FileFormat.JSONL, "json",
            "org.apache.hadoop.mapred.TextInputFormat",
            "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
            "org.openx.data.jsonserde.JsonSerDe",
            Map.of("paths", ""), Map.of());

    /** Table parameter naming the format, read by Athena and the Glue console. */
    static final String CLASSIFICATION = "classification";

    private final FileFormat format;
    private final String classification;
    private final String inputFormat;
    private final String outputFormat;
    private final String serde;
    private final Map<String, String> serdeParameters;
    private final Map<String, String> tableParameters;

    GlueStorageFormats(FileFormat format, String classification, String inputFormat, String outputFormat, String serde,
                       Map<String, String> serdeParameters, Map<String, String> tableParameters) {
        this.format = format;
        this.classification = classification;
        this.inputFormat = inputFormat;
        this.outputFormat = outputFormat;
        this.serde = serde;
        this.serdeParameters = serdeParameters;
        this.tableParameters = tableParameters;
    }

    static GlueStorageFormats of(FileFormat format) {
        return Arrays.stream(values()).filter(f -> f.format == format).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no Glue storage format for " + format));
    }

    /** The format a table was created with, from its classification parameter; null if not one of ours. */
    static FileFormat fromClassification(String classification) {
        return Arrays.stream(values()).filter(f -> f.classification.equalsIgnoreCase(String.valueOf(classification)))
                .map(f -> f.format).findFirst().orElse(null);
    }

    StorageDescriptor storageDescriptor(String table, List<Column> columns, String location) {
        return StorageDescriptor.builder()
                .columns(columns)
                .location(location)
                .inputFormat(inputFormat)
                .outputFormat(outputFormat)
                .serdeInfo(SerDeInfo.builder().serializationLibrary(serde)
                        .parameters(withColumns(serdeParameters, table, columns)).build())
                .build();
    }

    /**
     * SerDe parameters that name the columns, recomputed for {@code columns}: the OpenX JSON SerDe maps keys to
     * columns through {@code paths}, the Avro SerDe reads through {@code avro.schema.literal}.
     */
    static Map<String, String> withColumns(Map<String, String> serdeParameters, String table, List<Column> columns) {
        var parameters = new java.util.HashMap<>(serdeParameters);
        if (parameters.containsKey("paths")) {
            parameters.put("paths", String.join(",", columns.stream().map(Column::name).toList()));
        }
        if (parameters.containsKey(HiveAvroSchemas.LITERAL)) {
            HiveAvroSchemas.literal(table, columns).ifPresentOrElse(
                    literal -> parameters.put(HiveAvroSchemas.LITERAL, literal),
                    () -> parameters.remove(HiveAvroSchemas.LITERAL));
        }
        return Map.copyOf(parameters);
    }

    Map<String, String> tableParameters() {
        var parameters = new java.util.HashMap<>(tableParameters);
        parameters.put(CLASSIFICATION, classification);
        parameters.put("EXTERNAL", "TRUE");
        return Map.copyOf(parameters);
    }
}
