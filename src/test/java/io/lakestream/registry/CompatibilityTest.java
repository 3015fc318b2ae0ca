package io.lakestream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Glue's compatibility modes for Avro, as every registry type enforces them. */
class CompatibilityTest {

    /** V1 with amount as a double instead of decimal(12,2): the change the adversarial run made. */
    static final Schema AMOUNT_DOUBLE = schema("""
            {"name":"claim_id","type":"string"},{"name":"amount","type":"double"}""");
    /** V1 plus a required field without a default: old data cannot be read with it. */
    static final Schema REQUIRED_ADDED = schema("""
            {"name":"claim_id","type":"string"},
            {"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":12,"scale":2}},
            {"name":"currency","type":"string"}""");
    /** V1 without its amount: new data cannot be read by old readers. */
    static final Schema AMOUNT_REMOVED = schema("""
            {"name":"claim_id","type":"string"}""");

    @TempDir
    Path dir;

    private static Schema schema(String fields) {
        return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Claim\",\"namespace\":\"t\",\"fields\":["
                + fields + "]}");
    }

    @Test
    void shouldNameTheFieldTheOldAndNewTypeAndTheModeOfAnIncompatibleChange() {
        assertThat(Compatibility.BACKWARD.violation("claims.normalized", List.of(TestSchemas.V1), AMOUNT_DOUBLE))
                .hasValueSatisfying(m -> assertThat(m).startsWith("schema claims.normalized is not BACKWARD"
                        + " compatible with its registered versions: field amount changed from decimal(12,2) to double"
                        + " (the new schema cannot read data written with version 1 of 1: TYPE_MISMATCH,"));
    }

    @Test
    void shouldCheckEachModeAsGlueDefinesIt() {
        List<Schema> v1 = List.of(TestSchemas.V1);
        // BACKWARD: the new schema reads old data
        assertThat(Compatibility.BACKWARD.violation("s", v1, TestSchemas.V2)).isEmpty();
        assertThat(Compatibility.BACKWARD.violation("s", v1, AMOUNT_REMOVED)).isEmpty();
        assertThat(Compatibility.BACKWARD.violation("s", v1, REQUIRED_ADDED)).hasValueSatisfying(m ->
                assertThat(m).contains("field currency changed from (absent) to string"));
        // FORWARD: old readers read new data
        assertThat(Compatibility.FORWARD.violation("s", v1, REQUIRED_ADDED)).isEmpty();
        assertThat(Compatibility.FORWARD.violation("s", v1, AMOUNT_REMOVED)).hasValueSatisfying(m ->
                assertThat(m).contains("FORWARD").contains("field amount changed from decimal(12,2) to (absent)")
                        .contains("version 1 of 1 cannot read data written with the new schema"));
        // FULL: both
        assertThat(Compatibility.FULL.violation("s", v1, TestSchemas.V2)).isEmpty();
        assertThat(Compatibility.FULL.violation("s", v1, REQUIRED_ADDED)).isPresent();
        assertThat(Compatibility.FULL.violation("s", v1, AMOUNT_REMOVED)).isPresent();
        // NONE: anything; DISABLED: no new version at all, the registered one still
        assertThat(Compatibility.NONE.violation("s", v1, AMOUNT_DOUBLE)).isEmpty();
        assertThat(Compatibility.DISABLED.violation("s", v1, TestSchemas.V2)).hasValueSatisfying(m ->
                assertThat(m).contains("DISABLED allows no new version"));
        assertThat(Compatibility.DISABLED.violation("s", v1, TestSchemas.V1)).isEmpty();
    }

    @Test
    void shouldCheckTheAllModesAgainstEveryEarlierVersionAndTheOthersAgainstTheLatestOnly() {
        Schema v1 = schema("{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"c\",\"type\":\"int\"}");
        Schema v2 = schema("{\"name\":\"a\",\"type\":\"string\"}");
        Schema candidate = schema("{\"name\":\"a\",\"type\":\"string\"},"
                + "{\"name\":\"c\",\"type\":\"boolean\",\"default\":false}");

        assertThat(Compatibility.BACKWARD.violation("s", List.of(v1, v2), candidate)).isEmpty();
        assertThat(Compatibility.BACKWARD_ALL.violation("s", List.of(v1, v2), candidate)).hasValueSatisfying(m ->
                assertThat(m).contains("field c changed from int to boolean")
                        .contains("cannot read data written with version 1 of 2"));
        assertThat(Compatibility.FULL_ALL.violation("s", List.of(v1, v2), candidate)).isPresent();
        assertThat(Compatibility.FORWARD_ALL.violation("s", List.of(v1, v2), candidate)).isPresent();
    }

    @Test
    void shouldRefuseAnIncompatibleVersionInTheInMemoryRegistry() {
        InMemoryRegistry registry = new InMemoryRegistry();
        registry.serializer().serialize("claims.normalized", TestSchemas.claim(TestSchemas.V1, "c1", "1.00"));

        assertThatThrownBy(() -> registry.schemaVersionId("claims.normalized", AMOUNT_DOUBLE))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("field amount changed from decimal(12,2) to double")
                .hasMessageEndingWith("(registry.compatibility: BACKWARD)");
        assertThat(registry.versions("claims.normalized")).containsExactly(TestSchemas.V1);
        assertThat(new InMemoryRegistry(Compatibility.NONE).schemaVersionId("x", AMOUNT_DOUBLE)).isNotNull();
    }

    @Test
    void shouldRefuseAnIncompatibleVersionInTheLocalFolderRegistryAcrossProcesses() throws Exception {
        new LocalFolderRegistry(dir).serializer().serialize("claims.normalized",
                TestSchemas.claim(TestSchemas.V1, "c1", "1.00"));
        Thread.sleep(20); // distinct modification times: the order of registration
        new LocalFolderRegistry(dir).serializer().serialize("claims.normalized",
                TestSchemas.claim(TestSchemas.V2, "c2", "2.00"));

        LocalFolderRegistry later = new LocalFolderRegistry(dir, Compatibility.FULL);
        assertThat(later.versions("claims.normalized")).containsExactly(TestSchemas.V1, TestSchemas.V2);
        assertThatThrownBy(() -> later.register("claims.normalized", AMOUNT_DOUBLE))
                .hasMessageContaining("not FULL compatible").hasMessageContaining("field amount");
        try (var files = Files.list(dir.resolve("claims.normalized"))) {
            assertThat(files.count()).as("nothing registered").isEqualTo(2);
        }
    }
}
