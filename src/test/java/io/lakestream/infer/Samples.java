package io.lakestream.infer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.apache.avro.Schema;

/** Test helpers: sample values from strings and fixtures, and field lookups. */
final class Samples {

    private Samples() {
    }

    static List<byte[]> utf8(String... values) {
        return Arrays.stream(values).map(value -> value.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** One sample per line of a fixture under {@code src/test/resources/infer}. */
    static List<byte[]> fixtureLines(String name) {
        try (InputStream in = Objects.requireNonNull(Samples.class.getResourceAsStream("/infer/" + name), name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank())
                    .map(line -> line.getBytes(StandardCharsets.UTF_8))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static InferredField field(InferredSchema inferred, String name) {
        return inferred.fields().stream().filter(field -> field.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no field " + name + " in " + inferred.schema()));
    }

    /** The non-null branch of a field's type. */
    static Schema valueType(InferredSchema inferred, String name) {
        Schema schema = field(inferred, name).schema();
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        return schema.getTypes().stream().filter(type -> type.getType() != Schema.Type.NULL).findFirst()
                .orElseThrow();
    }
}
