package io.lakestream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The record key of a line for {@code produce}: a JSON field or a CSV column. A line the key cannot be read from is
 * still sent, without a key, and counted: a malformed record is what a trial wants to see dead-lettered.
 */
final class LineKeys {

    enum Format { JSON, CSV }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Format format;
    private final String field;
    private final CSVFormat csv;
    private final int column;
    private long unkeyed;

    /**
     * @param field  the key field, or null for no key
     * @param header the CSV header line when the file has one, else null
     * @throws IllegalArgumentException when the field names no column
     */
    LineKeys(Format format, String field, char delimiter, String header) {
        this.format = format;
        this.field = field;
        this.csv = CSVFormat.RFC4180.builder().setDelimiter(delimiter).get();
        if (field == null || format == Format.JSON) {
            this.column = -1;
        } else if (header != null) {
            List<String> columns = row(header);
            this.column = columns.indexOf(field);
            if (column < 0) {
                throw new IllegalArgumentException("--key-field " + field + ": no such column in the header line "
                        + columns);
            }
        } else {
            try {
                this.column = Integer.parseInt(field) - 1;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--key-field " + field + ": without --header, name the CSV "
                        + "column by its number (1 = first)");
            }
            if (column < 0) {
                throw new IllegalArgumentException("--key-field " + field + ": column numbers start at 1");
            }
        }
    }

    /** The key of {@code line}, or null (no key field, or it is not in the line). */
    String key(String line) {
        if (field == null) {
            return null;
        }
        String key = format == Format.JSON ? jsonKey(line) : csvKey(line);
        if (key == null) {
            unkeyed++;
        }
        return key;
    }

    long unkeyed() {
        return unkeyed;
    }

    private String jsonKey(String line) {
        try {
            JsonNode node = MAPPER.readTree(line);
            for (String part : field.replaceFirst("^\\$\\.", "").split("\\.")) {
                node = node == null ? null : node.get(part);
            }
            return node == null || node.isNull() || node.isContainerNode() ? null : node.asText();
        } catch (IOException notJson) {
            return null;
        }
    }

    private String csvKey(String line) {
        List<String> row = row(line);
        return column < row.size() ? row.get(column) : null;
    }

    private List<String> row(String line) {
        try (CSVParser parser = CSVParser.parse(new StringReader(line), csv)) {
            List<CSVRecord> records = parser.getRecords();
            return records.isEmpty() ? List.of() : records.get(0).toList();
        } catch (IOException | RuntimeException malformed) {
            return List.of();
        }
    }
}
