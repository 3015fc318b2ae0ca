package io.lakestream.infer;

import io.lakestream.config.PipelineConfig.CsvOptions;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a CSV sample the way {@link CsvOptions} describes it: either a header line and one data row per record
 * value, or one data row with configured columns. An empty cell is null. Anything else the normalize stage would
 * send to the DLQ (column-count mismatch, several rows, duplicate header names) is malformed here too.
 */
final class CsvSampleReader implements SampleReader {

    private final CSVFormat format;
    private final CsvOptions options;

    CsvSampleReader(CsvOptions options) {
        if (!options.header() && (options.columns() == null || options.columns().isEmpty())) {
            throw new IllegalArgumentException("csv: without a header line, columns must name the columns");
        }
        this.options = options;
        this.format = CSVFormat.Builder.create(CSVFormat.RFC4180)
                .setDelimiter(options.delimiter())
                .setQuote(options.quote())
                .setIgnoreEmptyLines(true)
                .get();
    }

    @Override
    public List<SampleLeaf> read(byte[] value) throws MalformedSampleException {
        String text = SampleReader.decodeUtf8(value);
        List<CSVRecord> rows = parse(text);
        List<String> columns;
        List<CSVRecord> data;
        if (options.header()) {
            if (rows.isEmpty()) {
                throw new MalformedSampleException("no header line");
            }
            columns = rows.get(0).toList();
            requireUnique(columns);
            data = rows.subList(1, rows.size());
        } else {
            columns = options.columns();
            data = rows;
        }
        if (data.size() != 1) {
            throw new MalformedSampleException("expected one data row, found " + data.size());
        }
        CSVRecord row = data.get(0);
        if (row.size() != columns.size()) {
            throw new MalformedSampleException("expected " + columns.size() + " columns, found " + row.size());
        }
        List<SampleLeaf> leaves = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            String cell = row.get(i);
            SampleValue cellValue = cell.isEmpty() ? SampleValue.Null.INSTANCE : new SampleValue.Cell(cell);
            leaves.add(new SampleLeaf(List.of(columns.get(i)), columns.get(i), cellValue));
        }
        return leaves;
    }

    private List<CSVRecord> parse(String text) throws MalformedSampleException {
        try (CSVParser parser = CSVParser.builder().setFormat(format).setReader(new StringReader(text)).get()) {
            return parser.getRecords();
        } catch (IOException | UncheckedIOException e) {
            throw new MalformedSampleException("malformed CSV: " + e.getMessage());
        }
    }

    private static void requireUnique(List<String> columns) throws MalformedSampleException {
        Set<String> seen = new HashSet<>();
        for (String column : columns) {
            if (!seen.add(column)) {
                throw new MalformedSampleException("duplicate column '" + column + "' in the header line");
            }
        }
    }
}
