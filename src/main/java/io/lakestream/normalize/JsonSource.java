package io.lakestream.normalize;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;

/**
 * Parses a record value as one JSON object into a tree, token by token rather than through data binding, so that
 * (1) numbers keep their exact text as {@link BigDecimal} (money never passes through a double), (2) duplicate keys,
 * nesting depth and NaN/Infinity get their own error classes instead of a generic parse error.
 */
final class JsonSource {

    /** The hard ceiling for {@code limits.max-json-depth}; Jackson's own guard stays above it. */
    static final int MAX_DEPTH_CEILING = 1000;

    static final JsonFactory FACTORY = JsonFactory.builder()
            // Accepted by the parser only so that they can be rejected with NON_FINITE_NUMBER below.
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH_CEILING + 1).build())
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final int maxDepth;

    JsonSource(int maxDepth) {
        this.maxDepth = maxDepth;
    }

    ObjectNode parse(String text) {
        try {
            return parse(FACTORY.createParser(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a String: not expected
        }
    }

    /** As {@link #parse(String)}, from UTF-8 bytes known to be valid (no text decoded first). */
    ObjectNode parse(byte[] utf8) {
        try {
            return parse(FACTORY.createParser(utf8));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a byte array: not expected
        }
    }

    private ObjectNode parse(JsonParser created) {
        try (JsonParser parser = created) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new NormalizeException(ErrorClass.EMPTY_VALUE, "record value is blank");
            }
            if (first != JsonToken.START_OBJECT) {
                throw new NormalizeException(ErrorClass.WRONG_TYPE,
                        "record value: expected a JSON object, was " + describe(first));
            }
            ObjectNode root = readObject(parser, 1, At.ROOT);
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw new NormalizeException(ErrorClass.MALFORMED_JSON, "unexpected content (" + describe(trailing)
                        + ") after the JSON object at line " + parser.currentTokenLocation().getLineNr()
                        + ", column " + parser.currentTokenLocation().getColumnNr());
            }
            return root;
        } catch (JsonProcessingException e) {
            // Jackson's message may point at the source "[Source: REDACTED ...; line: 1, column: 13]": keep the position.
            String reason = e.getOriginalMessage().replaceAll("\\[Source: [^;]*; ", "[");
            throw new NormalizeException(ErrorClass.MALFORMED_JSON, "malformed JSON: " + reason
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr()));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading memory: not expected
        }
    }

    private ObjectNode readObject(JsonParser parser, int depth, At path) throws IOException {
        checkDepth(depth, path);
        ObjectNode object = NODES.objectNode();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
            String name = encodable(parser.currentName(), path);
            At childPath = path.child(name);
            JsonNode value = readValue(parser, parser.nextToken(), depth, childPath);
            if (object.has(name)) {
                throw new NormalizeException(ErrorClass.DUPLICATE_KEY, "duplicate key " + NormalizeException.quote(name)
                        + " at " + childPath);
            }
            object.set(name, value);
        }
        return object;
    }

    private ArrayNode readArray(JsonParser parser, int depth, At path) throws IOException {
        checkDepth(depth, path);
        ArrayNode array = NODES.arrayNode();
        int index = 0;
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            array.add(readValue(parser, t, depth, path.element(index++)));
        }
        return array;
    }

    /** The value starting at {@code token} in an object at {@code depth}: a scalar node, or a whole subtree. */
    JsonNode readValue(JsonParser parser, JsonToken token, int depth, At path) throws IOException {
        return switch (token) {
            case START_OBJECT -> readObject(parser, depth + 1, path);
            case START_ARRAY -> readArray(parser, depth + 1, path);
            case VALUE_STRING -> NODES.textNode(encodable(parser.getText(), path));
            case VALUE_NUMBER_INT -> NODES.numberNode(parser.getBigIntegerValue());
            case VALUE_NUMBER_FLOAT -> {
                if (parser.isNaN()) {
                    throw new NormalizeException(ErrorClass.NON_FINITE_NUMBER, "non-finite number "
                            + NormalizeException.quote(parser.getText()) + " at " + path);
                }
                // DecimalNode directly: the factory may strip trailing zeros, and 1234.50 must stay 1234.50.
                yield DecimalNode.valueOf(new BigDecimal(parser.getText()));
            }
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new NormalizeException(ErrorClass.MALFORMED_JSON, "unexpected " + describe(token)
                    + " at " + path);
        };
    }

    /**
     * A JSON escape can spell a lone UTF-16 surrogate ({@code "\ud800"}): valid JSON, but no UTF-8 (or Avro string)
     * can hold it and writers would silently replace it by '?'. Such a record is a dead letter, not altered data.
     */
    static String encodable(String text, At path) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new NormalizeException(ErrorClass.INVALID_UTF8, String.format(
                        "string at %s holds an unpaired UTF-16 surrogate \\u%04x, which no UTF-8 text can hold",
                        path, (int) c));
            }
        }
        return text;
    }

    /** True when an object or array at {@code depth} is nested too deep (JSON_TOO_DEEP). */
    boolean tooDeep(int depth) {
        return depth > maxDepth;
    }

    private void checkDepth(int depth, At path) {
        if (tooDeep(depth)) {
            throw new NormalizeException(ErrorClass.JSON_TOO_DEEP, "JSON nested deeper than " + maxDepth
                    + " levels at " + path);
        }
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.asString() == null ? token.name() : "'" + token.asString() + "'";
        };
    }

    /** Where a value sits ({@code $.a.b[2]}): made into text only when a message names it. */
    record At(At parent, String name, int index) {
        static final At ROOT = new At(null, null, -1);

        At child(String childName) {
            return new At(this, childName, -1);
        }

        At element(int elementIndex) {
            return new At(this, null, elementIndex);
        }

        @Override
        public String toString() {
            if (parent == null) {
                return "$";
            }
            return parent + (name != null ? "." + name : "[" + index + "]");
        }
    }
}
