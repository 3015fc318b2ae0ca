package io.lakestream.sink.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * RFC 4180 CSV (comma, double quotes, CRLF) with a header row of column names. Null is the empty field;
 * decimals are plain strings ({@code 1234.50}, never exponent form); timestamps ISO-8601 UTC; nested values
 * (records, arrays, maps) are their JSON text in one field.
 */
final class CsvFormatWriter implements FormatWriter {

    @Override
    public byte[] write(Schema schema, List<GenericRecord> rows) {
        String[] header = schema.getFields().stream().map(Schema.Field::name).toArray(String[]::new);
        StringWriter text = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(text, CSVFormat.RFC4180.builder().setHeader(header).get())) {
            for (GenericRecord row : rows) {
                for (Schema.Field field : schema.getFields()) {
                    printer.print(cell(field.schema(), row.get(field.pos())));
                }
                printer.println();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write CSV", e);
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String cell(Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        JsonNode node = JsonValues.value(schema, value);
        if (node.isBigDecimal()) {
            return ((BigDecimal) node.numberValue()).toPlainString();
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }
}
