package io.lakestream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * One test per config error message: each row of {@code config/errors.csv} edits a valid config (replaces one text
 * with another) and names the exact single problem the loader must report.
 */
class ConfigErrorsTest {

    static final String VALID = ConfigYaml.CLAIMS_HEAD + """
                aggregations:
                  - name: by_account
                    group-by: account_id
                    window:
                      size: 100s
                    measures:
                      - name: n
                        fn: count
                      - name: total
                        fn: sum
                        field: amount
            """;

    @TempDir
    Path dir;

    @BeforeEach
    void copySchemas() throws Exception {
        Files.copy(Path.of("schemas/claim.avsc"), dir.resolve("claim.avsc"));
        Files.writeString(dir.resolve("not-a-record.avsc"), "\"string\"");
        Files.writeString(dir.resolve("broken.avsc"), "{\"type\": \"record\", \"fields\": []}");
    }

    @Test
    void shouldAcceptTheValidBase() {
        assertThat(ConfigLoader.parse(VALID, dir, Map.of(), "test").pipelines()).hasSize(1);
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @CsvFileSource(resources = "/config/errors.csv", delimiter = '|', quoteCharacter = '`', numLinesToSkip = 1)
    void shouldReportExactlyThisProblem(String find, String replaceWith, String expected) {
        assertThat(ConfigYaml.refusedEdit(VALID, find, replaceWith, dir, Map.of()).problems())
                .containsExactly(expected.replace("<dir>", dir.toString()));
    }

    @Test
    void shouldReportEveryProblemAtOnceWithTheFileName() {
        String yaml = VALID.replace("id: app", "id: \"a b\"").replace("size: 100s", "size: abc");

        assertThatThrownBy(() -> ConfigLoader.parse(yaml, dir, Map.of(), "claims.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid configuration claims.yaml:\n"
                        + "  - application.id: must be letters, digits, '.', '_' or '-', was \"a b\"\n"
                        + "  - pipelines[0].aggregations[0].window.size: must be a positive duration like 100s"
                        + " (units ms, s, m, h, d), was \"abc\"");
    }

    @Test
    void shouldReportAMissingConfigFile() {
        Path missing = dir.resolve("nope.yaml");

        assertThat(catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(missing, Map.of())).problems())
                .containsExactly("config file not found: " + missing.toAbsolutePath());
    }

    @Test
    void shouldReportInvalidYamlWithItsLine() {
        assertThat(catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.parse("a: [1,\nb: 2", dir, Map.of(), "t")).problems()).hasSize(1)
                .allSatisfy(p -> assertThat(p).startsWith("not valid YAML: ").endsWith(" at line 2"));
    }

    @Test
    void shouldReportDuplicateYamlKeys() {
        assertThat(catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.parse("http: {port: 1}\nhttp: {port: 2}", dir, Map.of(), "t")).problems())
                .containsExactly("not valid YAML: Duplicate field 'http' at line 2");
    }

    @Test
    void shouldReportAnEmptyConfigAndOneThatIsNotAMapping() {
        assertThat(catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse("", dir, Map.of(), "t"))
                .problems()).containsExactly("the config is empty");
        assertThat(catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse("- a", dir, Map.of(), "t"))
                .problems()).containsExactly("the config must be a mapping (key: value lines)");
    }

    @Test
    void shouldReportAnUnsetEnvironmentVariableOnceAtItsPath() {
        String yaml = VALID.replace("id: app", "id: ${APP_ID}");

        assertThat(catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, dir, Map.of(), "t"))
                .problems()).containsExactly("application.id: environment variable APP_ID is not set and has no"
                + " default; set it or write ${APP_ID:-default}");
    }

    @Test
    void shouldReportPipelinesThatAreNotAList() {
        String yaml = VALID.substring(0, VALID.indexOf("pipelines:")) + "pipelines: {name: claims}\n";

        assertThat(catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, dir, Map.of(), "t"))
                .problems()).containsExactly("pipelines: must be a list, was a mapping");
    }

    @Test
    void shouldReportMissingPipelines() {
        String yaml = VALID.substring(0, VALID.indexOf("pipelines:"));

        assertThat(catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, dir, Map.of(), "t"))
                .problems()).containsExactly("pipelines: is required; a list of at least one pipeline");
    }
}
