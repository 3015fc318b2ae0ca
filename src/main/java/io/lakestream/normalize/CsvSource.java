package io.lakestream.normalize;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lakestream.config.PipelineConfig.CsvOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Parses a record value as RFC 4180 CSV (quoted fields, doubled quotes, embedded newlines): an optional header
 * line, then exactly one data row. The row becomes an object of column name → text, so that fields are looked up
 * like top-level JSON keys.
 */
final class CsvSource {

    private final CsvOptions options;
    private final CSVFormat format;

    CsvSource(CsvOptions options) {
        this.options = options;
        this.format = CSVFormat.RFC4180.builder()
                .setDelimiter(options.delimiter())
                .setQuote(options.quote())
                .setIgnoreEmptyLines(true)
                .get();
    }

    ObjectNode parse(String text) {
        List<CSVRecord> rows = rows(text);
        List<String> columns;
        int expectedRows = options.header() ? 2 : 1;
        if (rows.size() != expectedRows) {
            throw new NormalizeException(ErrorClass.CSV_ROW_COUNT, "expected "
                    + (options.header() ? "a header line and one data row" : "one data row") + ", found "
                    + rows.size() + " line(s)");
        }
        if (options.header()) {
            columns = rows.get(0).toList();
            for (int i = 0; i < columns.size(); i++) {
                if (columns.indexOf(columns.get(i)) != i) {
                    throw new NormalizeException(ErrorClass.DUPLICATE_KEY, "duplicate CSV header column "
                            + NormalizeException.quote(columns.get(i)));
                }
            }
        } else {
            columns = options.columns();
        }
        CSVRecord row = rows.get(rows.size() - 1);
        if (row.size() != columns.size()) {
            throw new NormalizeException(ErrorClass.CSV_COLUMN_COUNT, "expected " + columns.size() + " columns "
                    + columns + ", found " + row.size() + " in the data row");
        }
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < columns.size(); i++) {
            object.put(columns.get(i), row.get(i));
        }
        return object;
    }

    private List<CSVRecord> rows(String text) {
        try (CSVParser parser = CSVParser.parse(text, format)) {
            return parser.getRecords();
        } catch (UncheckedIOException e) {
            throw quoteError(e.getCause());
        } catch (IOException e) {
            throw quoteError(e);
        }
    }

    /** Commons CSV reports every quoting fault as an IOException; a String source cannot fail otherwise. */
    private NormalizeException quoteError(IOException e) {
        return new NormalizeException(ErrorClass.CSV_UNBALANCED_QUOTE, "unbalanced quote "
                + options.quote() + ": " + e.getMessage());
    }
}
