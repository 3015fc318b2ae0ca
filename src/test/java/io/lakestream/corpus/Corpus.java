package io.lakestream.corpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * The bad-input corpus of {@code src/test/resources/corpus}: raw values exactly as they would arrive, and in
 * {@code index.csv} what each must become. Shared by the TopologyTestDriver test and the end-to-end IT.
 */
final class Corpus {

    static final Path DIR = Path.of("src/test/resources/corpus");
    static final String VALID = "VALID";
    static final String NULL_VALUE = "(null)";
    static final String GIANT = "(giant)";
    /** limits.max-record-bytes of the corpus pipelines; the generated giant record is one byte over. */
    static final int MAX_RECORD_BYTES = 64 * 1024;

    /** One input: its file, pipeline (json or csv), expected outcome and message fragment or field=value. */
    record Case(String file, String pipeline, String expected, String detail) {

        boolean valid() {
            return VALID.equals(expected);
        }

        /** The raw value bytes; null for {@link #NULL_VALUE}. */
        byte[] value() {
            if (NULL_VALUE.equals(file)) {
                return null;
            }
            if (GIANT.equals(file)) {
                String padding = "x".repeat(MAX_RECORD_BYTES);
                return ("{\"id\":\"giant\",\"amount\":\"1.00\",\"status\":\"OPEN\",\"ts\":\"2024-05-01T10:00:00Z\","
                        + "\"note\":\"" + padding + "\"}").getBytes(StandardCharsets.UTF_8);
            }
            try {
                return Files.readAllBytes(DIR.resolve(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Key: the file name, so that a dead letter names its case. */
        byte[] key() {
            return file.getBytes(StandardCharsets.UTF_8);
        }

        String field() {
            return detail.substring(0, detail.indexOf('='));
        }

        /** The expected text of {@link #field()}, with \n, \t and \\uXXXX unescaped. */
        String fieldValue() {
            return unescape(detail.substring(detail.indexOf('=') + 1));
        }

        @Override
        public String toString() {
            return file + " (" + pipeline + ")";
        }
    }

    private Corpus() {
    }

    static List<Case> cases() {
        try (Stream<String> lines = Files.lines(DIR.resolve("index.csv"), StandardCharsets.UTF_8)) {
            return lines.filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> {
                String[] parts = l.split(";", 4);
                if (parts.length != 4) {
                    throw new IllegalStateException("index.csv: expected 4 fields separated by ';': " + l);
                }
                return new Case(parts[0], parts[1], parts[2], parts[3]);
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Files of the corpus folder that are inputs (everything but the index and the schema). */
    static Set<String> inputFiles() {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals("index.csv") && !n.endsWith(".avsc"))
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The YAML of the two corpus pipelines, {@code corpus-json} and {@code corpus-csv}, with the given sections. */
    static String pipelinesYaml(String jsonTopic, String csvTopic) {
        return """
                pipelines:
                  - name: corpus-json
                    source: { topics: [%s], format: json }
                    schema: corpus.avsc
                    key: id
                    # The corpus covers every representable event time (year 9999 included), so the sanity
                    # bound on future times (default 1h ahead of the wall clock) is lifted here; it has its own tests.
                    event-time: { field: ts, format: iso-8601, max-future: 3000000d }
                    landing: { table: corpus_json, window: 100s, grace: 30s }
                    limits: { max-record-bytes: %d }
                  - name: corpus-csv
                    source: { topics: [%s], format: csv, csv: { header: true } }
                    schema: corpus.avsc
                    key: id
                    event-time: { field: ts, format: iso-8601 }
                    landing: { table: corpus_csv, window: 100s, grace: 30s }
                    limits: { max-record-bytes: %d }
                """.formatted(jsonTopic, MAX_RECORD_BYTES, csvTopic, MAX_RECORD_BYTES);
    }

    /** A field of a normalized record as text: timestamps as ISO instants, decimals as plain numbers. */
    static String text(GenericRecord record, String field) {
        Schema.Field f = record.getSchema().getField(field);
        Object value = record.get(field);
        if (value == null) {
            return "null";
        }
        Schema schema = f.schema().getType() == Schema.Type.UNION ? f.schema().getTypes().get(1) : f.schema();
        if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
            return Instant.ofEpochMilli((Long) value).toString();
        }
        if (schema.getLogicalType() instanceof LogicalTypes.Decimal d) {
            BigDecimal decimal = new Conversions.DecimalConversion().fromBytes(((ByteBuffer) value).duplicate(),
                    schema, d);
            return decimal.toPlainString();
        }
        return value.toString();
    }

    private static String unescape(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 == text.length()) {
                out.append(c);
                continue;
            }
            char n = text.charAt(++i);
            switch (n) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'u' -> {
                    out.append((char) Integer.parseInt(text.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append('\\').append(n);
            }
        }
        return out.toString();
    }
}
