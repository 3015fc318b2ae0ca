package io.lakestream.infer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a JSON object sample. Nested objects are flattened into top-level leaves ({@code $.account.id →
 * account_id}); arrays stay whole, so they become Avro arrays. Numbers keep their literal text.
 */
final class JsonSampleReader implements SampleReader {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    private static final Pattern SOURCE_IN_LOCATION = Pattern.compile("\\[Source: .*?; (line: \\d+, column: \\d+)]");

    @Override
    public List<SampleLeaf> read(byte[] value) throws MalformedSampleException {
        String text = SampleReader.decodeUtf8(value);
        SampleValue root;
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new MalformedSampleException("top-level JSON value must be an object, found " + describe(first));
            }
            root = readValue(parser);
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw new MalformedSampleException("unexpected content after the JSON object at "
                        + location(parser));
            }
        } catch (JsonProcessingException e) {
            throw new MalformedSampleException("malformed JSON: " + withoutSource(e.getOriginalMessage()) + " at "
                    + location(e.getProcessor() instanceof JsonParser p ? p : null));
        } catch (IOException e) {
            throw new MalformedSampleException("unreadable JSON: " + e.getMessage());
        }
        List<SampleLeaf> leaves = new ArrayList<>();
        flatten((SampleValue.Obj) root, new ArrayList<>(), "$", leaves);
        return leaves;
    }

    private static void flatten(SampleValue.Obj object, List<String> segments, String path, List<SampleLeaf> out) {
        for (Map.Entry<String, SampleValue> entry : object.entries().entrySet()) {
            List<String> childSegments = new ArrayList<>(segments);
            childSegments.add(entry.getKey());
            String childPath = path + AvroNames.jsonPathSegment(entry.getKey());
            if (entry.getValue() instanceof SampleValue.Obj nested) {
                flatten(nested, childSegments, childPath, out);
            } else {
                out.add(new SampleLeaf(List.copyOf(childSegments), childPath, entry.getValue()));
            }
        }
    }

    /** Reads the value whose first token is current; Jackson's nesting limit bounds the recursion. */
    private static SampleValue readValue(JsonParser parser) throws IOException, MalformedSampleException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT: {
                Map<String, SampleValue> entries = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    parser.nextToken();
                    if (entries.put(key, readValue(parser)) != null) {
                        throw new MalformedSampleException("duplicate key '" + key + "' at " + location(parser));
                    }
                }
                return new SampleValue.Obj(entries);
            }
            case START_ARRAY: {
                List<SampleValue> elements = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    elements.add(readValue(parser));
                }
                return new SampleValue.Arr(elements);
            }
            case VALUE_STRING:
                return new SampleValue.Str(parser.getText());
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return new SampleValue.Num(parser.getText());
            case VALUE_TRUE:
                return new SampleValue.Bool(true);
            case VALUE_FALSE:
                return new SampleValue.Bool(false);
            case VALUE_NULL:
                return SampleValue.Null.INSTANCE;
            default:
                throw new MalformedSampleException("unexpected " + token + " at " + location(parser));
        }
    }

    /** Jackson names the (redacted) input source inside locations; only line and column help a reader. */
    private static String withoutSource(String message) {
        return SOURCE_IN_LOCATION.matcher(message).replaceAll("[$1]");
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.toString();
        };
    }

    private static String location(JsonParser parser) {
        if (parser == null) {
            return "unknown position";
        }
        var location = parser.currentLocation();
        return "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
