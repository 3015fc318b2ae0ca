package io.lakestream.infer;

import java.util.List;
import java.util.Map;

/**
 * One value read from a sample, keeping what typing needs and a parsed tree would lose: the literal text of
 * JSON numbers (so {@code 1234.50} keeps its scale and {@code 1e3} is known to be written with an exponent) and
 * whether text came from a JSON string or from an untyped CSV cell.
 */
sealed interface SampleValue {

    enum Null implements SampleValue { INSTANCE }

    record Bool(boolean value) implements SampleValue {
    }

    /** A JSON number, as written. */
    record Num(String text) implements SampleValue {
    }

    /** A JSON string: numbers in it are data that merely looks numeric unless other samples agree. */
    record Str(String text) implements SampleValue {
    }

    /** A CSV cell: untyped text, so integers and booleans are read from it directly. */
    record Cell(String text) implements SampleValue {
    }

    record Arr(List<SampleValue> elements) implements SampleValue {
    }

    /** A JSON object; entries in document order. */
    record Obj(Map<String, SampleValue> entries) implements SampleValue {
    }
}
