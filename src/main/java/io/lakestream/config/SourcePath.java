package io.lakestream.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a field's value sits in the parsed source: {@code $.a.b}, {@code $.items[0].x}, or a plain name (a
 * top-level key or CSV column).
 */
public final class SourcePath {

    private static final Pattern NAME = Pattern.compile("[^.\\[\\]$]+");
    private static final Pattern SEGMENT = Pattern.compile("\\.([^.\\[\\]]+)|\\[(\\d+)]");

    private final String text;
    private final List<Object> segments;

    private SourcePath(String text, List<Object> segments) {
        this.text = text;
        this.segments = segments;
    }

    /** @throws IllegalArgumentException when {@code text} is not a source path */
    public static SourcePath parse(String text) {
        if (text != null && NAME.matcher(text).matches()) {
            return new SourcePath(text, List.of(text));
        }
        if (text == null || !text.startsWith("$") || text.length() < 2) {
            throw new IllegalArgumentException("not a source path: " + text);
        }
        List<Object> segments = new ArrayList<>();
        Matcher m = SEGMENT.matcher(text);
        int at = 1;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("not a source path: " + text);
            }
            segments.add(m.group(1) != null ? m.group(1) : Integer.valueOf(m.group(2)));
            at = m.end();
        }
        return new SourcePath(text, List.copyOf(segments));
    }

    /** True for a plain name (a top-level key, a CSV column). */
    public boolean isPlainName() {
        return segments.size() == 1 && segments.get(0) instanceof String && !text.startsWith("$");
    }

    /** The first segment when it is a key; a CSV column name for plain names and {@code $.name}. */
    public String head() {
        return segments.get(0) instanceof String s ? s : null;
    }

    /** The object keys from the root when every step is a key ({@code $.a.b} → a, b), else null. */
    public List<String> keys() {
        List<String> keys = new ArrayList<>(segments.size());
        for (Object segment : segments) {
            if (!(segment instanceof String key)) {
                return null;
            }
            keys.add(key);
        }
        return keys;
    }

    /** The node at this path, or a {@link MissingNode} when any step is absent. */
    public JsonNode resolve(JsonNode root) {
        JsonNode node = root;
        for (Object segment : segments) {
            node = segment instanceof String key ? node.path(key) : node.path((Integer) segment);
            if (node.isMissingNode()) {
                return node;
            }
        }
        return node;
    }

    @Override
    public String toString() {
        return text;
    }
}
