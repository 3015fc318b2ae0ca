package io.lakestream.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lakestream.config.PipelineConfig;
import io.lakestream.config.SourcePath;
import io.lakestream.record.BusinessKeys;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Turns one raw record value into a record of the pipeline's Avro schema, its business key and its event time,
 * or throws {@link NormalizeException} saying why not. Stateless and side-effect free.
 *
 * <p>A UTF-8 byte order mark at the start of a value is stripped (some Windows exporters write one); any other
 * invalid UTF-8 is an INVALID_UTF8 dead letter, detected strictly before parsing.
 */
final class Normalizer {

    /** Latest event time accepted: 9999-12-31T23:59:59.999Z. */
    static final long MAX_EVENT_TIME_MILLIS = 253_402_300_799_999L;

    /** What {@link #ascii(byte[])} finds. */
    private static final int NOT_ASCII = -1;
    private static final int PLAIN = 0;
    private static final int ESCAPES = 1;

    /** What a valid raw value becomes. */
    record Result(String key, GenericRecord value, long eventTimeMillis) {
    }

    /** An Avro field, where its value is read from, and how it is coerced. */
    record Binding(Schema.Field field, SourcePath path, AvroCoercer coercer, Where where) {
    }

    private final Schema schema;
    private final int maxRecordBytes;
    private final Function<String, ObjectNode> parser;
    private final JsonSource json;
    /** Null for CSV, or when the source paths need the tree. */
    private final JsonFastPath fast;
    private final List<Binding> bindings = new ArrayList<>();
    private final List<Schema.Field> keyFields = new ArrayList<>();
    private final Schema.Field eventTimeField;
    private final boolean eventTimeMicros;
    private final EventTimeTruncation truncation;

    /** @param pipeline a validated pipeline; {@code schema} is its parsed schema file */
    Normalizer(PipelineConfig pipeline, Schema schema) {
        this(pipeline, schema, true);
    }

    /** @param fastPath false to read every JSON value through the tree (to compare both in tests) */
    Normalizer(PipelineConfig pipeline, Schema schema, boolean fastPath) {
        this.schema = schema;
        this.maxRecordBytes = pipeline.limits().maxRecordBytes();
        boolean csv = pipeline.source().format() == PipelineConfig.InputFormat.CSV;
        if (csv) {
            json = null;
            parser = new CsvSource(pipeline.source().csv())::parse;
        } else {
            json = new JsonSource(pipeline.limits().maxJsonDepth());
            parser = json::parse;
        }
        PipelineConfig.EventTimeConfig eventTime = pipeline.eventTime();
        ZoneId zone = eventTime.zone() == null ? null : ZoneId.of(eventTime.zone());
        AvroCoercer plain = new AvroCoercer(new Timestamps(Timestamps.Format.AUTO, null, zone), csv);
        AvroCoercer forEventTime = new AvroCoercer(new Timestamps(Timestamps.Format.of(eventTime.format()),
                eventTime.pattern(), zone), csv);
        for (Schema.Field field : schema.getFields()) {
            String source = pipeline.fields().getOrDefault(field.name(), field.name());
            boolean isEventTime = field.name().equals(eventTime.field());
            SourcePath path = SourcePath.parse(source);
            bindings.add(new Binding(field, path, isEventTime ? forEventTime : plain, new Where(field.name(),
                    path.toString(), pipeline.protection().fields().containsKey(field.name()))));
        }
        for (String k : pipeline.key()) {
            keyFields.add(field(k));
        }
        this.eventTimeField = field(eventTime.field());
        this.eventTimeMicros = eventTimeField.schema().getLogicalType() instanceof LogicalTypes.TimestampMicros;
        this.truncation = EventTimeTruncation.of(pipeline);
        this.fast = json != null && fastPath ? JsonFastPath.of(schema, bindings, json) : null;
    }

    private Schema.Field field(String name) {
        Schema.Field f = schema.getField(name);
        if (f == null) {
            throw new IllegalArgumentException("field " + name + " not in schema " + schema.getFullName());
        }
        return f;
    }

    Result normalize(byte[] value) {
        if (value == null || value.length == 0) {
            throw new NormalizeException(ErrorClass.EMPTY_VALUE, "record value is " + (value == null ? "null" : "empty"));
        }
        if (value.length > maxRecordBytes) {
            throw new NormalizeException(ErrorClass.RECORD_TOO_LARGE, "record value has " + value.length
                    + " bytes, the limit (limits.max-record-bytes) is " + maxRecordBytes);
        }
        int ascii = json == null ? NOT_ASCII : ascii(value);
        GenericData.Record record = fast(value, ascii);
        if (record == null) {
            // ASCII (most JSON) is valid UTF-8 as it is: parsed from the bytes. Anything else is decoded first, which
            // finds malformed UTF-8 and a byte-order mark.
            JsonNode root = ascii != NOT_ASCII ? json.parse(value) : parser.apply(decodeUtf8(value));
            record = new GenericData.Record(schema);
            for (Binding b : bindings) {
                record.put(b.field().pos(), b.coercer().field(b.field(), b.path().resolve(root), b.where()));
            }
        }
        long eventTime = eventTimeMillis(record);
        return new Result(BusinessKeys.of(record, keyFields), record, eventTime);
    }

    /**
     * The event time every later stage sees: truncated here when the event-time field is, so that no window, header,
     * object name or message can carry the clear value. Truncation floors to a unit boundary, so the range decision
     * is the same for the clear and the truncated value.
     */
    private long eventTimeMillis(GenericRecord record) {
        long raw = (Long) record.get(eventTimeField.pos());
        long millis = truncation.apply(eventTimeMicros ? Math.floorDiv(raw, 1000L) : raw);
        if (millis < 0 || millis > MAX_EVENT_TIME_MILLIS) {
            throw new NormalizeException(ErrorClass.TIMESTAMP_OUT_OF_RANGE, "field " + eventTimeField.name()
                    + ": event time " + truncation.text(millis)
                    + " is outside 1970-01-01T00:00:00Z .. 9999-12-31T23:59:59.999Z");
        }
        return millis;
    }

    /**
     * The record the fast path reads from a JSON value, or null when the value takes the tree path (it is not ASCII,
     * the fast path does not handle it, or it is a dead letter).
     */
    GenericData.Record tryFast(byte[] value) {
        return fast(value, ascii(value));
    }

    private GenericData.Record fast(byte[] value, int ascii) {
        return fast == null || ascii == NOT_ASCII ? null : fast.read(value, ascii == ESCAPES);
    }

    /** NOT_ASCII, ESCAPES (ASCII with a backslash), or PLAIN. */
    private static int ascii(byte[] value) {
        int found = PLAIN;
        for (byte b : value) {
            if (b < 0) {
                return NOT_ASCII;
            }
            if (b == '\\') {
                found = ESCAPES;
            }
        }
        return found;
    }

    private static String decodeUtf8(byte[] value) {
        int start = value.length >= 3 && (value[0] & 0xFF) == 0xEF && (value[1] & 0xFF) == 0xBB
                && (value[2] & 0xFF) == 0xBF ? 3 : 0;
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(value, start, value.length - start);
        try {
            CharBuffer chars = decoder.decode(in);
            return chars.toString();
        } catch (MalformedInputException e) {
            throw new NormalizeException(ErrorClass.INVALID_UTF8, "record value is not valid UTF-8: "
                    + e.getInputLength() + " malformed byte(s) at byte offset " + in.position());
        } catch (CharacterCodingException e) {
            throw new NormalizeException(ErrorClass.INVALID_UTF8, "record value is not valid UTF-8: " + e);
        }
    }
}
