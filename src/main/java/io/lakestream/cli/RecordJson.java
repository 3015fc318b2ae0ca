package io.lakestream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lakestream.registry.GsrWireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * One record of any lakestream topic as one JSON object: its coordinates, key and headers, and the value decoded —
 * Avro in the registry's wire format through the registry, JSON as is, other text as a string, anything else as
 * base64. A dead letter (it carries {@value #ERROR_CLASS}) shows its reason and source coordinates, and its
 * original bytes as text when they are UTF-8, else base64, since they are what could not be read.
 */
final class RecordJson {

    static final String ERROR_CLASS = "lakestream.error.class";
    /** Headers of a dead letter shown as fields of their own (name in the output → header). */
    private static final String[][] DEAD_LETTER_FIELDS = {{"error_class", ERROR_CLASS},
        {"error_message", "lakestream.error.message"}, {"pipeline", "lakestream.pipeline"}};
    private static final String[][] SOURCE_FIELDS = {{"topic", "lakestream.source.topic"},
        {"partition", "lakestream.source.partition"}, {"offset", "lakestream.source.offset"},
        {"timestamp", "lakestream.source.timestamp"}};

    private static final JsonNodeFactory JSON = JsonNodeFactory.withExactBigDecimals(true);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Deserializer<GenericRecord> avro;

    /** @param avro the registry's deserializer; null when no registry is configured (Avro then shown as base64) */
    RecordJson(Deserializer<GenericRecord> avro) {
        this.avro = avro;
    }

    ObjectNode render(ConsumerRecord<byte[], byte[]> record) {
        ObjectNode out = JSON.objectNode();
        out.put("topic", record.topic());
        out.put("partition", record.partition());
        out.put("offset", record.offset());
        out.put("timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
        bytes(out, "key", record.key());
        boolean deadLetter = record.headers().lastHeader(ERROR_CLASS) != null;
        ObjectNode headers = JSON.objectNode();
        for (Header h : record.headers()) {
            headers.set(h.key(), header(h.value()));
        }
        if (deadLetter) {
            for (String[] f : DEAD_LETTER_FIELDS) {
                moveHeader(headers, f[1], out, f[0]);
            }
            ObjectNode source = JSON.objectNode();
            for (String[] f : SOURCE_FIELDS) {
                moveHeader(headers, f[1], source, f[0]);
            }
            for (String number : new String[] {"partition", "offset"}) {
                if (source.path(number).isTextual() && source.get(number).asText().matches("\\d{1,18}")) {
                    source.put(number, Long.parseLong(source.get(number).asText()));
                }
            }
            if (source.path("timestamp").asText().matches("-?\\d{1,18}")) {
                source.put("timestamp", Instant.ofEpochMilli(Long.parseLong(source.get("timestamp").asText()))
                        .toString());
            }
            out.set("source", source);
        }
        if (!headers.isEmpty()) {
            out.set("headers", headers);
        }
        if (deadLetter) {
            bytes(out, "value", record.value());
        } else {
            value(out, record.topic(), record.value());
        }
        return out;
    }

    private void value(ObjectNode out, String topic, byte[] value) {
        if (value == null) {
            out.putNull("value");
            return;
        }
        if (value.length >= GsrWireFormat.HEADER_LENGTH && value[0] == GsrWireFormat.HEADER_VERSION) {
            if (avro == null) {
                out.put("value_base64", Base64.getEncoder().encodeToString(value));
                out.put("note", "Avro in the registry's wire format: give --config to decode it");
                return;
            }
            try {
                out.set("value", AvroJson.of(avro.deserialize(topic, value)));
                return;
            } catch (RuntimeException e) {
                out.put("value_base64", Base64.getEncoder().encodeToString(value));
                out.put("note", "not decodable through the registry: " + e.getMessage());
                return;
            }
        }
        Optional<String> text = utf8(value);
        if (text.isEmpty()) {
            out.put("value_base64", Base64.getEncoder().encodeToString(value));
            return;
        }
        try {
            out.set("value", MAPPER.readTree(text.get()));
        } catch (IOException notJson) {
            out.put("value", text.get());
        }
    }

    /** {@code name}: the bytes as text when they are UTF-8; else {@code name_base64}. */
    private static void bytes(ObjectNode out, String name, byte[] bytes) {
        if (bytes == null) {
            out.putNull(name);
            return;
        }
        Optional<String> text = utf8(bytes);
        if (text.isPresent()) {
            out.put(name, text.get());
        } else {
            out.put(name + "_base64", Base64.getEncoder().encodeToString(bytes));
        }
    }

    private static JsonNode header(byte[] value) {
        if (value == null) {
            return JSON.nullNode();
        }
        // Headers are often binary numbers (e.g. a 4-byte int), which happen to be valid UTF-8: show text only when
        // it is printable.
        return utf8(value).filter(t -> t.chars().noneMatch(c -> Character.isISOControl(c) && c != '\t'))
                .<JsonNode>map(JSON::textNode).orElseGet(() -> JSON.objectNode()
                        .put("base64", Base64.getEncoder().encodeToString(value)));
    }

    private static void moveHeader(ObjectNode headers, String header, ObjectNode target, String field) {
        JsonNode v = headers.remove(header);
        if (v != null) {
            target.set(field, v);
        }
    }

    static Optional<String> utf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
