package io.lakestream.normalize;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.bench.ClaimGenerator;
import io.lakestream.config.ConfigLoader;
import io.lakestream.config.PipelineConfig;
import io.lakestream.testing.UnitConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/**
 * The fast path against the tree path over the bad-input corpus, claims and generated JSON: every value must come out
 * the same (equal record, key and event time, or the same error class and message).
 */
class JsonFastPathTest {

    private static final Path CORPUS = Path.of("src/test/resources/corpus");
    private static final Path TYPES = Path.of("src/test/resources/normalize");

    private static final PipelineConfig CLAIMS = ConfigLoader.load(Path.of("config/claims.yaml"), Map.of())
            .pipelines().get(0);
    private static final PipelineConfig CORPUS_JSON = UnitConfig.pipeline("""
              - name: corpus_json
                source: { topics: [corpus.json.raw], format: json }
                schema: corpus.avsc
                key: id
                event-time: { field: ts, format: iso-8601 }
                limits: { max-json-depth: 32 }
            """, CORPUS);
    /** Paths through nested objects, a record read whole, and a local zone. */
    private static final PipelineConfig TYPES_NESTED = TestPipelines.types(", zone: Europe/Paris", """
            fields: { i: $.n.i, l: $.n.l, color: $.n.deep.color, day: $.n.deep.day, owner: $.owner, b: $.b }
            limits: { max-json-depth: 4 }""");
    /** Paths deeper than the nesting allowed. */
    private static final PipelineConfig TYPES_SHALLOW = TestPipelines.types("", """
            fields: { i: $.n.i, color: $.n.deep.color }
            limits: { max-json-depth: 2 }""");
    private static final PipelineConfig TYPES_FLAT = TestPipelines.types();

    @Test
    void shouldReadEveryCorpusValueAsTheTreePathDoes() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(CORPUS)) {
            files = list.filter(p -> !p.toString().endsWith(".csv") && !p.toString().endsWith(".avsc")).sorted()
                    .toList();
        }
        assertThat(files).hasSizeGreaterThan(40);
        for (PipelineConfig pipeline : List.of(CORPUS_JSON, TYPES_FLAT, TYPES_NESTED, TYPES_SHALLOW, CLAIMS)) {
            Pair pair = new Pair(pipeline);
            for (Path file : files) {
                pair.assertSame(Files.readAllBytes(file));
            }
        }
    }

    @Test
    void shouldReadGeneratedClaimsAsTheTreePathDoes() {
        Pair pair = new Pair(CLAIMS);
        for (int size : new int[] {150, 200, 1000}) {
            ClaimGenerator claims = new ClaimGenerator(300, size, 10, ClaimGenerator.DEFAULT_START, size);
            for (int i = 0; i < 300; i++) {
                pair.assertSame(claims.value(i));
            }
        }
        pair.assertSame(NormalizeStageJsonTest.CLAIM.getBytes(UTF_8));
    }

    @Test
    void shouldTakeTheFastPathForPlainClaims() {
        Normalizer claims = new Normalizer(CLAIMS, ConfigLoader.schemaOf(CLAIMS));
        for (int size : new int[] {200, 1000}) {
            byte[] claim = new ClaimGenerator(1, size, 1, ClaimGenerator.DEFAULT_START, 7L).value(0);

            GenericRecord fast = claims.tryFast(claim);

            assertThat(fast).isNotNull();
            assertThat(fast).isEqualTo(claims.normalize(claim).value());
        }
        assertThat(claims.tryFast(NormalizeStageJsonTest.CLAIM.getBytes(UTF_8))).isNotNull();
        assertThat(claims.tryFast(NormalizeStageJsonTest.CLAIM.replace("CL-1", "C\\\"L-1").getBytes(UTF_8)))
                .isNotNull();
    }

    @Test
    void shouldLeaveDeadLettersAndDuplicatesToTheTreePath() {
        Normalizer claims = new Normalizer(CLAIMS, ConfigLoader.schemaOf(CLAIMS));
        String claim = NormalizeStageJsonTest.CLAIM;

        assertThat(claims.tryFast(claim.replace("\"EUR\"", "\"EUR\", \"x\": 1, \"x\": 2").getBytes(UTF_8))).isNull();
        assertThat(claims.tryFast(claim.replace("\"EUR\"", "\"EUR\", \"currency\": \"USD\"").getBytes(UTF_8)))
                .isNull();
        assertThat(claims.tryFast(claim.replace("\"Ann\"", "\"Ann\", \"name\": \"Bob\"").getBytes(UTF_8))).isNull();
        assertThat(claims.tryFast(claim.replace("\"EUR\"", "\"EUR\", \"x\": \"\\ud800\"").getBytes(UTF_8))).isNull();
        assertThat(claims.tryFast(claim.replace("\"EUR\"", "\"EUR\", \"x\": NaN").getBytes(UTF_8))).isNull();
        assertThat(claims.tryFast(claim.replace("1234.50", "1234.505").getBytes(UTF_8))).isNull();
        assertThat(claims.tryFast(claim.replace("\"currency\"", "\"\\ud800\"").getBytes(UTF_8))).isNull();
    }

    @Test
    void shouldLeaveAPathDeeperThanTheNestingAllowedToTheTreePath() {
        String head = "{\"id\": \"a\", \"ts\": \"2024-01-31T10:15:30Z\", ";
        byte[] deep = (head + "\"n\": {\"deep\": {\"color\": \"RED\"}}}").getBytes(UTF_8);
        byte[] shallow = (head + "\"n\": {\"i\": 7}}").getBytes(UTF_8);

        assertThat(new Normalizer(TYPES_SHALLOW, ConfigLoader.schemaOf(TYPES_SHALLOW)).tryFast(deep)).isNull();
        assertThat(new Normalizer(TYPES_SHALLOW, ConfigLoader.schemaOf(TYPES_SHALLOW)).tryFast(shallow)).isNotNull();
        new Pair(TYPES_SHALLOW).assertSame(deep);
        new Pair(TYPES_NESTED).assertSame(deep);
    }

    @Test
    void shouldNotBuildAFastPathForArrayIndexesOrPathsThroughABoundValue() {
        PipelineConfig index = TestPipelines.types("", "fields: { i: \"$.n[0]\" }");
        PipelineConfig through = TestPipelines.types("", "fields: { i: $.owner.level }");
        byte[] value = "{\"id\":\"a\",\"ts\":\"2024-01-31T10:15:30Z\"}".getBytes(UTF_8);

        assertThat(new Normalizer(index, ConfigLoader.schemaOf(index)).tryFast(value)).isNull();
        assertThat(new Normalizer(through, ConfigLoader.schemaOf(through)).tryFast(value)).isNull();
        assertThat(new Normalizer(TYPES_FLAT, ConfigLoader.schemaOf(TYPES_FLAT)).tryFast(value)).isNotNull();
    }

    @Property(tries = 1500)
    void shouldReadAnyFlatValueAsTheTreePathDoes(@ForAll("flatValues") String json) {
        new Pair(TYPES_FLAT).assertSame(json.getBytes(UTF_8));
    }

    @Property(tries = 1500)
    void shouldReadAnyNestedValueAsTheTreePathDoes(@ForAll("nestedValues") String json) {
        new Pair(TYPES_NESTED).assertSame(json.getBytes(UTF_8));
    }

    @Property(tries = 500)
    void shouldReadAnyValueNestedTooDeepAsTheTreePathDoes(@ForAll("nestedValues") String json) {
        new Pair(TYPES_SHALLOW).assertSame(json.getBytes(UTF_8));
    }

    @Provide
    Arbitrary<String> flatValues() {
        return objects(List.of("id", "ts", "i", "l", "f", "d", "b", "money", "rate", "day", "micros", "other_ts",
                "color", "tags", "scores", "owner", "region", "notes", "x", "i\\u0064", "\\ud800"), 0);
    }

    @Provide
    Arbitrary<String> nestedValues() {
        return objects(List.of("id", "ts", "n", "i", "l", "deep", "color", "day", "owner", "name", "level", "b", "x",
                "\\ud800x", "\\u006e"),
                0);
    }

    /** A JSON object of entries from {@code names} (duplicates included), usually with an id and a timestamp. */
    private static Arbitrary<String> objects(List<String> names, int depth) {
        Arbitrary<String> entry = Arbitraries.of(names).flatMap(name -> values(names, depth)
                .map(v -> "\"" + name + "\": " + v));
        Arbitrary<String> body = entry.list().ofMaxSize(8).map(l -> String.join(", ", l));
        if (depth > 0) {
            return body.map(b -> "{" + b + "}");
        }
        Arbitrary<String> id = Arbitraries.of("\"id\": \"a\", ", "\"id\": \"a\\u0062\", ", "");
        Arbitrary<String> ts = Arbitraries.of("\"ts\": \"2024-01-31T10:15:30Z\", ", "\"ts\": 1706696130123, ", "");
        Arbitrary<String> trailer = Arbitraries.of("", "", "", " ", " {}", "x");
        return net.jqwik.api.Combinators.combine(id, ts, body, trailer)
                .as((i, t, b, tail) -> "{" + i + t + b + "}" + tail)
                .map(s -> s.replace(", }", "}"));
    }

    private static Arbitrary<String> values(List<String> names, int depth) {
        Arbitrary<String> scalars = Arbitraries.of(
                "\"a\"", "\"RED\"", "\"GREEN\"", "\"red\"", "\"2024-01-31T10:15:30Z\"",
                "\"2024-01-31T10:15:30.123+01:00\"", "\"2024-01-31 10:15:30\"", "\"2024-01-31\"",
                "\"2016-12-31T23:59:60Z\"",
                "\"12.50\"", "\" 7 \"", "\"1e3\"", "\"NaN\"", "\"-inf\"", "\"true\"", "\"\"", "\"AQIDBAUGBwg=\"",
                "\"a\\\"b\\n\"", "\"\\ud800\"", "\"\\ud83d\\udc4b\"", "\"\\u00e9\"", "\"Grüße\"",
                "0", "-0", "7", "-12",
                "2147483647", "2147483648", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
                "1e3", "12.5", "12.50", "1.005", "0.1", "-0.0", "1E400", "1706696130123", "19753",
                "123456789012345678901234567890", "1" + "0".repeat(1200), "1." + "5".repeat(1200), "NaN",
                "Infinity", "-Infinity", "true", "false", "null", "[]", "[\"a\", \"b\"]", "[1, 2]", "[[[[[[1]]]]]]",
                "{\"name\": \"n\"}", "{\"name\": \"n\", \"name\": \"m\"}", "{}", "{\"a\": 1, \"b\": 2}",
                "{\"a\": {\"b\": {\"c\": {\"d\": {}}}}}");
        if (depth >= 2) {
            return scalars;
        }
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, scalars),
                net.jqwik.api.Tuple.of(1, Arbitraries.lazy(() -> objects(names, depth + 1))));
    }

    /** The same pipeline with and without the fast path. */
    private static final class Pair {
        private final Normalizer fast;
        private final Normalizer tree;

        Pair(PipelineConfig pipeline) {
            fast = new Normalizer(pipeline, ConfigLoader.schemaOf(pipeline), true);
            tree = new Normalizer(pipeline, ConfigLoader.schemaOf(pipeline), false);
        }

        void assertSame(byte[] value) {
            Object viaFast = outcome(fast, value);
            Object viaTree = outcome(tree, value);
            assertThat(viaFast).as(new String(value, UTF_8)).isEqualTo(viaTree);
            assertThat(String.valueOf(viaFast)).isEqualTo(String.valueOf(viaTree));
            if (viaFast instanceof Normalizer.Result r) {
                assertThat(types(r.value())).isEqualTo(types(((Normalizer.Result) viaTree).value()));
            }
        }

        /** The result, or the error class and message. */
        private static Object outcome(Normalizer normalizer, byte[] value) {
            try {
                return normalizer.normalize(value);
            } catch (NormalizeException e) {
                return e.errorClass() + ": " + e.getMessage();
            } catch (RuntimeException e) {
                return e.getClass().getName() + ": " + e.getMessage();
            }
        }

        private static String types(GenericRecord record) {
            return record.getSchema().getFields().stream()
                    .map(f -> f.name() + ":" + (record.get(f.pos()) == null ? null : record.get(f.pos()).getClass()))
                    .collect(Collectors.joining(","));
        }
    }
}
