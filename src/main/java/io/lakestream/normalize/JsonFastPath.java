package io.lakestream.normalize;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * Reads a JSON record value straight into the record, without the tree {@link JsonSource} builds: one pass over the
 * parser's tokens, each name looked up among the bindings' source paths, each bound value coerced by the bindings'
 * {@link AvroCoercer} as soon as it is read. Values no binding reads are skipped, not built.
 *
 * <p>It answers only for values the tree path would accept, and then with an equal record: anything it does not
 * handle or that is wrong — a duplicate key, too deep a nesting, NaN, a lone surrogate, a coercion error, malformed
 * JSON — makes it answer null, and the caller takes the tree path, which reports the dead letter exactly as before.
 * Bound values are read by {@link JsonSource}'s own code (a scalar node, or the subtree for a record, array or map
 * field), except that a whole number that fits a long becomes a long node rather than a BigInteger one: every
 * coercion reads the same value from both. Values left unread are still checked for what makes the tree path fail.
 */
final class JsonFastPath {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** One step of the bindings' source paths: the bindings that end here, the keys that go deeper. */
    private static final class Step {
        final JsonSource.At at;
        final long bit;
        final Map<String, Step> keys = new HashMap<>();
        int[] bindings = new int[0];

        Step(JsonSource.At at, long bit) {
            this.at = at;
            this.bit = bit;
        }
    }

    private final Schema schema;
    private final List<Normalizer.Binding> bindings;
    private final JsonSource json;
    private final Step root;
    /** Jackson checks a string's length only when it is read; longer values are left to the tree path. */
    private final int maxStringLength = JsonSource.FACTORY.streamReadConstraints().getMaxStringLength();

    private JsonFastPath(Schema schema, List<Normalizer.Binding> bindings, JsonSource json, Step root) {
        this.schema = schema;
        this.bindings = bindings;
        this.json = json;
        this.root = root;
    }

    /**
     * The fast path for these bindings, or null when their source paths are not all object keys (an array index),
     * when one path continues another (both {@code $.a} and {@code $.a.b}), or when there are more than 64 steps.
     */
    static JsonFastPath of(Schema schema, List<Normalizer.Binding> bindings, JsonSource json) {
        Step root = new Step(JsonSource.At.ROOT, 0);
        int steps = 0;
        for (int i = 0; i < bindings.size(); i++) {
            List<String> keys = bindings.get(i).path().keys();
            if (keys == null) {
                return null;
            }
            Step step = root;
            for (String key : keys) {
                Step next = step.keys.get(key);
                if (next == null) {
                    if (steps == Long.SIZE) {
                        return null;
                    }
                    next = new Step(step.at.child(key), 1L << steps++);
                    step.keys.put(key, next);
                }
                step = next;
            }
            step.bindings = Arrays.copyOf(step.bindings, step.bindings.length + 1);
            step.bindings[step.bindings.length - 1] = i;
        }
        return consistent(root) ? new JsonFastPath(schema, bindings, json, root) : null;
    }

    private static boolean consistent(Step step) {
        if (step.bindings.length > 0 && !step.keys.isEmpty()) {
            return false;
        }
        return step.keys.values().stream().allMatch(JsonFastPath::consistent);
    }

    /**
     * The record of an ASCII JSON value, or null when the tree path must decide.
     *
     * @param escapes whether the value holds a backslash: only an escape can spell a lone surrogate in ASCII text
     */
    GenericData.Record read(byte[] ascii, boolean escapes) {
        if (ascii.length > maxStringLength) {
            return null;
        }
        try (JsonParser parser = JsonSource.FACTORY.createParser(ascii)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Pass pass = new Pass(parser, escapes);
            if (!pass.object(root, 1) || parser.nextToken() != null) {
                return null;
            }
            for (int i = 0; i < bindings.size(); i++) {
                if (!pass.filled[i]) {
                    pass.put(i, MissingNode.getInstance());
                }
            }
            return pass.record;
        } catch (IOException | RuntimeException e) {
            return null; // malformed, or a dead letter: the tree path says which, in its own words
        }
    }

    /** The state of reading one value. */
    private final class Pass {
        final JsonParser parser;
        final boolean escapes;
        final GenericData.Record record = new GenericData.Record(schema);
        final boolean[] filled = new boolean[bindings.size()];
        long seen;

        Pass(JsonParser parser, boolean escapes) {
            this.parser = parser;
            this.escapes = escapes;
        }

        /** Reads the object whose START_OBJECT was just read; false when the tree path must decide. */
        boolean object(Step step, int depth) throws IOException {
            if (json.tooDeep(depth)) {
                return false;
            }
            Set<String> unbound = null;
            for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                // Jackson's byte parser itself refuses a lone surrogate in a name, as on the tree path.
                String name = parser.currentName();
                Step next = step.keys.get(name);
                JsonToken value = parser.nextToken();
                if (next == null) {
                    if (unbound == null) {
                        unbound = new HashSet<>();
                    }
                    if (!unbound.add(name)) {
                        return false; // a duplicate key
                    }
                    check(value, depth, step.at.child(name));
                } else if ((seen & next.bit) != 0) {
                    return false; // a duplicate key
                } else {
                    seen |= next.bit;
                    if (next.bindings.length > 0) {
                        JsonNode node = value == JsonToken.VALUE_NUMBER_INT
                                && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER
                                ? NODES.numberNode(parser.getLongValue())
                                : json.readValue(parser, value, depth, next.at);
                        for (int b : next.bindings) {
                            put(b, node);
                        }
                    } else if (value == JsonToken.START_OBJECT) {
                        if (!object(next, depth + 1)) {
                            return false;
                        }
                    } else {
                        check(value, depth, next.at); // not an object: the paths through it resolve to nothing
                    }
                }
            }
            return true;
        }

        /** Throws for a value no binding reads where the tree path would fail on it. */
        void check(JsonToken value, int depth, JsonSource.At at) throws IOException {
            switch (value) {
                case START_OBJECT, START_ARRAY -> json.readValue(parser, value, depth, at);
                case VALUE_STRING -> {
                    if (escapes) {
                        JsonSource.encodable(parser.getText(), at);
                    }
                }
                case VALUE_NUMBER_FLOAT -> json.readValue(parser, value, depth, at);
                default -> {
                }
            }
        }

        void put(int index, JsonNode node) {
            Normalizer.Binding b = bindings.get(index);
            record.put(b.field().pos(), b.coercer().field(b.field(), node, b.where()));
            filled[index] = true;
        }
    }
}
