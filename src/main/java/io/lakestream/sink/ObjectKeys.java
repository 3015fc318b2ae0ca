package io.lakestream.sink;

import io.lakestream.config.FieldKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * The lake layout: {@code <prefix><table>/dt=YYYY-MM-DD/hour=HH/<eventWindowStartMillis>-<topic>-<partition>-<firstOffset>[-late].<ext>}.
 * Partition values come from event time in UTC, and from record fields when {@code partition-by} names some.
 *
 * <p>Partition values are escaped Hive-style ({@code %XX}, upper-case hex) so that no value can leave its table
 * prefix or add a path segment: '/', '\', '=', '%', '"', '#', '\'', '*', ':', '?', '[', ']', '^', '{', '}', DEL
 * and control characters are escaped like Hive does; unlike Hive, every non-ASCII character is escaped as its
 * UTF-8 bytes, so keys stay ASCII; a value made only of dots ({@code .}, {@code ..}) has its dots escaped, and
 * an empty or null value becomes {@code __HIVE_DEFAULT_PARTITION__}. The catalog receives the unescaped values
 * and the escaped location, so readers never need to unescape.
 *
 * <p>A segment is at most {@value #MAX_SEGMENT} characters: a file system refuses longer names (255 bytes) and
 * would stop the partition on every restart. A longer escaped value becomes its first {@value #KEPT} characters
 * (never cutting an escape) then {@code ~} and 16 hex digits of the SHA-256 of the value's UTF-8 bytes: the same
 * value always gets the same folder, and the catalog still receives the whole value.
 */
public final class ObjectKeys {

    /** Hive's name for the partition of null and empty values. */
    public static final String DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__";

    /** The field value of the partition that takes records beyond {@code landing.max-partition-values}. */
    public static final String OVERFLOW_PARTITION = "__LAKESTREAM_OVERFLOW__";

    private static final String HIVE_ESCAPED = "\"#%'*/:=?[\\]^{}";
    static final int MAX_SEGMENT = 128;
    private static final int KEPT = 64;

    private ObjectKeys() {
    }

    /**
     * Partition values of {@code eventTime} for {@code partitionBy} (each one of dt, hour), in that order. They depend
     * on the UTC hour of {@code eventTime} only (the sink computes them once per hour).
     */
    public static List<String> partitionValues(List<String> partitionBy, long eventTime) {
        return partitionValues(partitionBy, eventTime, null);
    }

    /**
     * Partition values for {@code partitionBy}: dt and hour from event time, any other column from the record field
     * of that name (its text; enums as the symbol, dates as yyyy-MM-dd; null as {@link #DEFAULT_PARTITION}).
     */
    public static List<String> partitionValues(List<String> partitionBy, long eventTime, GenericRecord record) {
        ZonedDateTime utc = Instant.ofEpochMilli(eventTime).atZone(ZoneOffset.UTC);
        List<String> values = new ArrayList<>(partitionBy.size());
        for (String column : partitionBy) {
            values.add(switch (column) {
                case "dt" -> utc.toLocalDate().toString();
                case "hour" -> utc.getHour() < 10 ? "0" + utc.getHour() : Integer.toString(utc.getHour());
                default -> fieldValue(column, record);
            });
        }
        return values;
    }

    private static String fieldValue(String column, GenericRecord record) {
        Schema.Field field = record == null ? null : record.getSchema().getField(column);
        if (field == null) {
            throw new IllegalArgumentException("partition column " + column + " is neither dt, hour nor a field of "
                    + (record == null ? "the record" : record.getSchema().getFullName()));
        }
        Object value = record.get(field.pos());
        if (value == null || value.toString().isEmpty()) {
            return DEFAULT_PARTITION;
        }
        Schema type = FieldKind.nonNull(field.schema());
        return FieldKind.of(type) == FieldKind.DATE ? LocalDate.ofEpochDay(((Number) value).longValue()).toString()
                : value.toString();
    }

    /** {@code <prefix><table>/}: the table root, under which every object of the table lies. */
    public static String tablePath(String prefix, String table) {
        return prefix + table + "/";
    }

    /** The partition directory {@code <prefix><table>/k1=v1/k2=v2/} with escaped values. */
    public static String partitionPath(String prefix, String table, List<String> keys, List<String> values) {
        if (keys.size() != values.size()) {
            throw new IllegalArgumentException("partition keys " + keys + " do not match values " + values);
        }
        StringBuilder path = new StringBuilder(tablePath(prefix, table));
        for (int i = 0; i < keys.size(); i++) {
            path.append(escape(keys.get(i))).append('=').append(escape(values.get(i))).append('/');
        }
        return path.toString();
    }

    /** The start of every object name of one event window and source partition: {@code <start>-<topic>-<p>-}. */
    static String objectNamePrefix(long eventWindowStart, String topic, int partition) {
        return eventWindowStart + "-" + topic + "-" + partition + "-";
    }

    static String objectName(long eventWindowStart, String topic, int partition, long firstOffset, boolean late,
                             String extension) {
        return objectNamePrefix(eventWindowStart, topic, partition) + firstOffset + (late ? "-late" : "")
                + "." + extension;
    }

    /** A partition value as one safe path segment (see the class comment). */
    public static String escape(String value) {
        if (value == null || value.isEmpty()) {
            return DEFAULT_PARTITION;
        }
        boolean onlyDots = value.chars().allMatch(c -> c == '.');
        StringBuilder out = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c < 0x20 || c >= 0x7F || HIVE_ESCAPED.indexOf(c) >= 0 || (onlyDots && c == '.')) {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            } else {
                out.append((char) c);
            }
        }
        return out.length() <= MAX_SEGMENT ? out.toString() : shortened(out, value);
    }

    private static String shortened(StringBuilder escaped, String value) {
        int kept = KEPT;
        // An escape is '%' and two hex digits: cut before it rather than through it.
        if (escaped.charAt(kept - 1) == '%') {
            kept -= 1;
        } else if (escaped.charAt(kept - 2) == '%') {
            kept -= 2;
        }
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8));
            return escaped.substring(0, kept) + "~" + java.util.HexFormat.of().formatHex(digest, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
