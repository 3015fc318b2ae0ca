package io.lakestream.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.FileFormat;
import io.lakestream.sink.BufferCodec.Entry;
import io.lakestream.sink.format.FormatWriter;
import io.lakestream.sink.format.WrittenFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Parquet written from the buffered wire bytes must be the file parquet-avro writes from the decoded records:
 * both files are read back with parquet-hadoop's footer reader and parquet-avro's reader, never with the writer.
 */
class BinaryParquetRowsTest {

    private static final String TOPIC = "claims.normalized";

    private static final Schema DATA = new Schema.Parser().parse("""
            {"type": "record", "name": "Claim", "namespace": "lake", "fields": [
              {"name": "text", "type": "string"},
              {"name": "maybe_text", "type": ["null", "string"], "default": null},
              {"name": "text_or_null", "type": ["string", "null"], "default": ""},
              {"name": "i", "type": "int"},
              {"name": "maybe_i", "type": ["null", "int"], "default": null},
              {"name": "l", "type": "long"},
              {"name": "f", "type": "float"},
              {"name": "d", "type": ["null", "double"], "default": null},
              {"name": "ok", "type": "boolean"},
              {"name": "raw", "type": "bytes"},
              {"name": "amount", "type": ["null", {"type": "bytes", "logicalType": "decimal", "precision": 24,
                "scale": 4}], "default": null},
              {"name": "fixed_amount", "type": {"type": "fixed", "name": "Amount16", "size": 16,
                "logicalType": "decimal", "precision": 30, "scale": 2}},
              {"name": "hash", "type": ["null", {"type": "fixed", "name": "Hash4", "size": 4}], "default": null},
              {"name": "day", "type": {"type": "int", "logicalType": "date"}},
              {"name": "at_ms", "type": ["null", {"type": "long", "logicalType": "timestamp-millis"}],
                "default": null},
              {"name": "at_us", "type": {"type": "long", "logicalType": "timestamp-micros"}},
              {"name": "id", "type": {"type": "string", "logicalType": "uuid"}},
              {"name": "status", "type": ["null", {"type": "enum", "name": "Status",
                "symbols": ["OPEN", "CLOSED", "ÜBER"]}], "default": null},
              {"name": "tags", "type": {"type": "array", "items": "string"}},
              {"name": "scores", "type": ["null", {"type": "array", "items": ["null", "long"]}], "default": null},
              {"name": "lines", "type": {"type": "array", "items": {"type": "record", "name": "Line", "fields": [
                {"name": "sku", "type": "string"},
                {"name": "qty", "type": ["null", "int"], "default": null},
                {"name": "notes", "type": {"type": "array", "items": "string"}}]}}},
              {"name": "address", "type": ["null", {"type": "record", "name": "Address", "fields": [
                {"name": "city", "type": "string"},
                {"name": "geo", "type": {"type": "record", "name": "Geo", "fields": [
                  {"name": "lat", "type": "double"}, {"name": "lon", "type": "double"}]}}]}], "default": null}
            ]}""");

    private final WireFormatRegistry registry = new WireFormatRegistry();
    private final Deserializer<GenericRecord> deserializer = registry.deserializer();
    private final Schema table = TableSchemas.build(DATA);

    @ParameterizedTest
    @ValueSource(strings = {"snappy", "zstd", "none"})
    void shouldWriteTheFileParquetAvroWritesFromTheDecodedRecords(String compression) throws IOException {
        List<Entry> entries = entries(records());
        FormatWriter writer = FormatWriter.of(FileFormat.PARQUET, compression);

        assertThat(writer.writesBinary(table, DATA)).isTrue();
        WrittenFile viaAvro = writer.writeFile(table, entries.stream()
                .map(e -> TableSchemas.row(table, DATA, deserializer.deserialize(TOPIC, e.wire()), e)).toList());
        WrittenFile binary = writer.writeBinary(table, DATA, entries.stream().map(TableSchemas::binaryRow).toList());

        ParquetMetadata expected = footer(viaAvro.content());
        ParquetMetadata actual = footer(binary.content());
        assertThat(actual.getFileMetaData().getSchema()).isEqualTo(expected.getFileMetaData().getSchema());
        assertThat(actual.getFileMetaData().getKeyValueMetaData())
                .isEqualTo(expected.getFileMetaData().getKeyValueMetaData());
        assertThat(chunks(actual)).isEqualTo(chunks(expected));
        assertThat(read(binary.content())).isEqualTo(read(viaAvro.content()));
        assertThat(binary.content()).isEqualTo(viaAvro.content());
        // The footer handed to the committer is the one in the file.
        assertThat(binary.footer().getBlocks().get(0).getRowCount()).isEqualTo(entries.size());
    }

    @Test
    void shouldReadBackTheEdgeValuesAsWritten() throws IOException {
        List<Entry> entries = entries(records());
        WrittenFile binary = FormatWriter.of(FileFormat.PARQUET, "snappy")
                .writeBinary(table, DATA, entries.stream().map(TableSchemas::binaryRow).toList());

        List<GenericRecord> rows = read(binary.content());
        assertThat(rows).hasSize(entries.size());
        GenericRecord full = rows.get(0);
        assertThat(full.get("text")).hasToString("unicode: é ü 漢字 🙂");
        assertThat(decimal(full.get("amount"), 4)).isEqualByComparingTo("-12345678901234567.8900");
        assertThat(decimal(ByteBuffer.wrap(((GenericData.Fixed) full.get("fixed_amount")).bytes()), 2))
                .isEqualByComparingTo("-98765432109876543210.12");
        assertThat(full.get("at_us")).isEqualTo(Instant.parse("9999-12-31T23:59:59.999999Z").getEpochSecond()
                * 1_000_000L + 999_999L);
        assertThat(full.get("status")).hasToString("ÜBER");
        assertThat(full.get("scores")).hasToString("[1, null, " + Long.MIN_VALUE + "]");
        assertThat(full.get(LineageColumns.SOURCE_OFFSET)).isEqualTo(100L);
        GenericRecord empty = rows.get(1);
        assertThat(empty.get("text")).hasToString("");
        assertThat(empty.get("maybe_text")).isNull();
        assertThat(empty.get("address")).isNull();
        assertThat(empty.get("tags")).hasToString("[]");
        assertThat(empty.get(LineageColumns.LATE)).isEqualTo(true);
    }

    @Test
    void shouldLeaveMapsToParquetAvro() {
        Schema withMap = new Schema.Parser().parse("""
                {"type": "record", "name": "M", "fields": [
                  {"name": "attrs", "type": {"type": "map", "values": "string"}}]}""");

        assertThat(FormatWriter.of(FileFormat.PARQUET, null).writesBinary(TableSchemas.build(withMap), withMap))
                .isFalse();
        assertThat(FormatWriter.of(FileFormat.JSONL, null).writesBinary(table, DATA)).isFalse();
    }

    private static BigDecimal decimal(Object bytes, int scale) {
        ByteBuffer b = ((ByteBuffer) bytes).duplicate();
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return new BigDecimal(new java.math.BigInteger(a), scale);
    }

    private static List<GenericRecord> records() {
        List<GenericRecord> records = new ArrayList<>();
        GenericRecord full = new GenericData.Record(DATA);
        full.put("text", "unicode: é ü 漢字 🙂");
        full.put("maybe_text", "present");
        full.put("text_or_null", null);
        full.put("i", Integer.MIN_VALUE);
        full.put("maybe_i", -1);
        full.put("l", Long.MAX_VALUE);
        full.put("f", -0.0f);
        full.put("d", Double.NaN);
        full.put("ok", true);
        full.put("raw", ByteBuffer.wrap(new byte[] {0, -1, 127}));
        full.put("amount", decimalBytes("amount", new BigDecimal("-12345678901234567.8900")));
        Schema fixed = DATA.getField("fixed_amount").schema();
        full.put("fixed_amount", new Conversions.DecimalConversion().toFixed(
                new BigDecimal("-98765432109876543210.12"), fixed, fixed.getLogicalType()));
        full.put("hash", new GenericData.Fixed(DATA.getField("hash").schema().getTypes().get(1),
                new byte[] {1, 2, 3, 4}));
        full.put("day", (int) LocalDate.parse("1969-07-20").toEpochDay());
        full.put("at_ms", Instant.parse("2024-03-01T10:00:00.123Z").toEpochMilli());
        full.put("at_us", Instant.parse("9999-12-31T23:59:59.999999Z").getEpochSecond() * 1_000_000L + 999_999L);
        full.put("id", "5f0c4a8e-2a3b-4c5d-8e9f-0a1b2c3d4e5f");
        full.put("status", new GenericData.EnumSymbol(DATA.getField("status").schema().getTypes().get(1), "ÜBER"));
        full.put("tags", List.of("a", "", "ß"));
        full.put("scores", Arrays.asList(1L, null, Long.MIN_VALUE));
        full.put("lines", List.of(line("x-1", 2, List.of("gift")), line("", null, List.of())));
        GenericRecord geo = new GenericData.Record(DATA.getField("address").schema().getTypes().get(1)
                .getField("geo").schema());
        geo.put("lat", 48.1372);
        geo.put("lon", -11.5756);
        GenericRecord address = new GenericData.Record(DATA.getField("address").schema().getTypes().get(1));
        address.put("city", "München");
        address.put("geo", geo);
        full.put("address", address);
        records.add(full);

        GenericRecord empty = new GenericData.Record(DATA);
        empty.put("text", "");
        empty.put("text_or_null", "");
        empty.put("i", 0);
        empty.put("l", Long.MIN_VALUE);
        empty.put("f", Float.MAX_VALUE);
        empty.put("ok", false);
        empty.put("raw", ByteBuffer.wrap(new byte[0]));
        empty.put("fixed_amount", new Conversions.DecimalConversion().toFixed(BigDecimal.ZERO.setScale(2), fixed,
                fixed.getLogicalType()));
        empty.put("day", 0);
        empty.put("at_us", -1L);
        empty.put("id", "00000000-0000-0000-0000-000000000000");
        empty.put("tags", List.of());
        empty.put("scores", List.of());
        empty.put("lines", List.of());
        records.add(empty);

        // Enough rows for several pages (5,000 rows a page) and a dictionary that gives up on the unique column.
        for (int i = 0; i < 12_000; i++) {
            GenericRecord r = new GenericData.Record(DATA);
            r.put("text", "claim-" + i);
            r.put("maybe_text", i % 3 == 0 ? null : "s" + (i % 7));
            r.put("text_or_null", i % 2 == 0 ? null : "t");
            r.put("i", i);
            r.put("maybe_i", i % 5 == 0 ? null : -i);
            r.put("l", (long) i * 1_000_003L);
            r.put("f", i / 3.0f);
            r.put("d", i % 4 == 0 ? null : i * -0.25);
            r.put("ok", i % 2 == 0);
            r.put("raw", ByteBuffer.wrap(new byte[] {(byte) i, (byte) (i >> 8)}));
            r.put("amount", i % 6 == 0 ? null : decimalBytes("amount", BigDecimal.valueOf(i - 6_000L, 2)));
            r.put("fixed_amount", new Conversions.DecimalConversion().toFixed(BigDecimal.valueOf(-i, 2), fixed,
                    fixed.getLogicalType()));
            r.put("day", 19_000 + i % 30);
            r.put("at_ms", 1_700_000_000_000L + i);
            r.put("at_us", 1_700_000_000_000_000L + i);
            r.put("id", new java.util.UUID(i, -i).toString());
            r.put("status", i % 3 == 0 ? null : new GenericData.EnumSymbol(
                    DATA.getField("status").schema().getTypes().get(1), i % 3 == 1 ? "OPEN" : "CLOSED"));
            r.put("tags", i % 2 == 0 ? List.of() : List.of("t" + i % 10));
            r.put("scores", i % 4 == 0 ? null : Arrays.asList((long) i, null));
            r.put("lines", List.of(line("sku-" + i % 50, i % 9 == 0 ? null : i % 9, List.of())));
            records.add(r);
        }
        return records;
    }

    private static ByteBuffer decimalBytes(String field, BigDecimal value) {
        Schema s = org.apache.avro.Schema.createUnion(DATA.getField(field).schema().getTypes()).getTypes().get(1);
        return new Conversions.DecimalConversion().toBytes(value, s, s.getLogicalType());
    }

    private static GenericRecord line(String sku, Integer qty, List<String> notes) {
        Schema lineSchema = DATA.getField("lines").schema().getElementType();
        GenericRecord line = new GenericData.Record(lineSchema);
        line.put("sku", sku);
        line.put("qty", qty);
        line.put("notes", notes);
        return line;
    }

    /**
     * Buffered entries in the registry wire format; every third record's body is written by Avro's blocking encoder,
     * whose arrays come in blocks with a negative count and a byte size, as other producers may write them.
     */
    private List<Entry> entries(List<GenericRecord> records) throws IOException {
        List<Entry> entries = new ArrayList<>();
        byte[] header = Arrays.copyOf(registry.serializer().serialize(TOPIC, records.get(0)), 18);
        for (int i = 0; i < records.size(); i++) {
            byte[] wire;
            if (i % 3 == 1) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(header);
                BinaryEncoder encoder = EncoderFactory.get().blockingBinaryEncoder(out, null);
                new GenericDatumWriter<GenericRecord>(DATA).write(records.get(i), encoder);
                encoder.flush();
                wire = out.toByteArray();
            } else {
                wire = registry.serializer().serialize(TOPIC, records.get(i));
            }
            entries.add(new Entry(0L, TOPIC, 3, 100L + i, 1_700_000_000_000L + i, 1_700_000_000_500L + i, i == 1,
                    0L, wire));
        }
        return entries;
    }

    private static ParquetMetadata footer(byte[] content) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(new LakeReader.BytesInputFile(content))) {
            return reader.getFooter();
        }
    }

    /** Per row group and column: path, row count, values, encodings, sizes and statistics. */
    private static List<String> chunks(ParquetMetadata footer) {
        List<String> chunks = new ArrayList<>();
        for (BlockMetaData block : footer.getBlocks()) {
            for (ColumnChunkMetaData c : block.getColumns()) {
                Statistics<?> s = c.getStatistics();
                chunks.add(c.getPath() + " rows=" + block.getRowCount() + " values=" + c.getValueCount()
                        + " codec=" + c.getCodec() + " encodings=" + c.getEncodings() + " size="
                        + c.getTotalSize() + " stats=" + s.toString() + " nulls=" + s.getNumNulls());
            }
        }
        return chunks;
    }

    private static List<GenericRecord> read(byte[] content) throws IOException {
        List<GenericRecord> rows = new ArrayList<>();
        try (ParquetReader<GenericRecord> reader = AvroParquetReader
                .<GenericRecord>builder(new LakeReader.BytesInputFile(content), new PlainParquetConfiguration())
                .withDataModel(new GenericData()) // raw values (no conversions), so that records compare
                .build()) {
            for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                rows.add(r);
            }
        }
        return rows;
    }
}
