package io.lakestream.sink;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakestream.config.FileFormat;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.SeekableByteArrayInput;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * Reads objects back with each format's own reader (parquet-avro, Avro DataFileReader, commons-csv, Jackson), as
 * rows of column → text: decimals as plain strings, timestamps ISO-8601, so that every format compares the same.
 */
public final class LakeReader {

    /** Exact decimals, trailing zeros kept: 1.10 stays 1.10, as decimal(p,2) wrote it. */
    static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private LakeReader() {
    }

    /** All rows of every object under {@code prefix}, object by object in key order. */
    public static List<Map<String, String>> rows(InMemoryObjectStore store, String prefix, FileFormat format) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (String key : store.list(prefix)) {
            rows.addAll(read(store.read(key), format));
        }
        return rows;
    }

    public static List<Map<String, String>> read(byte[] content, FileFormat format) {
        try {
            return switch (format) {
                case PARQUET -> parquet(content);
                case AVRO -> avro(content);
                case CSV -> csv(content);
                case JSONL -> jsonLines(content);
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Map<String, String>> parquet(byte[] content) throws IOException {
        List<Map<String, String>> rows = new ArrayList<>();
        try (ParquetReader<GenericRecord> reader = AvroParquetReader
                .<GenericRecord>builder(new BytesInputFile(content), new PlainParquetConfiguration())
                .withDataModel(GenericData.get()).build()) {
            for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                rows.add(text(r));
            }
        }
        return rows;
    }

    private static List<Map<String, String>> avro(byte[] content) throws IOException {
        List<Map<String, String>> rows = new ArrayList<>();
        try (DataFileReader<GenericRecord> reader = new DataFileReader<>(new SeekableByteArrayInput(content),
                new GenericDatumReader<>())) {
            reader.forEach(r -> rows.add(text(r)));
        }
        return rows;
    }

    private static List<Map<String, String>> csv(byte[] content) throws IOException {
        List<Map<String, String>> rows = new ArrayList<>();
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();
        try (CSVParser parser = CSVParser.parse(new StringReader(new String(content, StandardCharsets.UTF_8)),
                format)) {
            for (CSVRecord r : parser) {
                rows.add(new LinkedHashMap<>(r.toMap()));
            }
        }
        return rows;
    }

    private static List<Map<String, String>> jsonLines(byte[] content) throws IOException {
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
            JsonNode node = JSON.readTree(line);
            Map<String, String> row = new LinkedHashMap<>();
            node.properties().forEach(e -> row.put(e.getKey(), e.getValue().isBigDecimal()
                    ? e.getValue().decimalValue().toPlainString()
                    : e.getValue().isNull() ? "" : e.getValue().asText()));
            rows.add(row);
        }
        return rows;
    }

    private static Map<String, String> text(GenericRecord r) {
        Map<String, String> row = new LinkedHashMap<>();
        for (Schema.Field f : r.getSchema().getFields()) {
            Object v = r.get(f.pos());
            Schema s = f.schema().isUnion() ? f.schema().getTypes().get(1) : f.schema();
            if (v == null) {
                row.put(f.name(), "");
            } else if (s.getLogicalType() instanceof LogicalTypes.Decimal) {
                row.put(f.name(), new Conversions.DecimalConversion()
                        .fromBytes((ByteBuffer) v, s, s.getLogicalType()).toPlainString());
            } else if (s.getLogicalType() != null && s.getLogicalType().getName().equals("timestamp-millis")) {
                row.put(f.name(), Instant.ofEpochMilli((Long) v).toString());
            } else if (s.getLogicalType() != null && s.getLogicalType().getName().equals("date")) {
                row.put(f.name(), java.time.LocalDate.ofEpochDay((Integer) v).toString());
            } else {
                row.put(f.name(), v.toString());
            }
        }
        return row;
    }

    /** Parquet's InputFile over bytes in memory. */
    public record BytesInputFile(byte[] content) implements InputFile {
        @Override
        public long getLength() {
            return content.length;
        }

        @Override
        public SeekableInputStream newStream() {
            PositionedStream in = new PositionedStream(content);
            return new DelegatingSeekableInputStream(in) {
                @Override
                public long getPos() {
                    return in.position();
                }

                @Override
                public void seek(long newPos) {
                    in.seek(newPos);
                }
            };
        }
    }

    private static final class PositionedStream extends ByteArrayInputStream {
        PositionedStream(byte[] content) {
            super(content);
        }

        long position() {
            return pos;
        }

        void seek(long newPos) {
            pos = (int) newPos;
        }
    }

}
