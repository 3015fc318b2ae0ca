package io.lakestream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.Map;

/** Config text shared by the config tests, in YAML's block style (their cases replace parts of it). */
final class ConfigYaml {

    /** A valid config up to the claims pipeline's event-time field; append the pipeline's other keys, indented 4. */
    static final String CLAIMS_HEAD = """
            application:
              id: app
            kafka:
              bootstrap.servers: "b:9092"
            lake:
              store: local
            catalog:
              type: none
            pipelines:
              - name: claims
                source:
                  topics: [raw]
                schema: claim.avsc
                key: account_id
                event-time:
                  field: claim_ts
            """;

    /** The folder of the project's schemas, where {@code schema: claim.avsc} of these configs is found. */
    static final Path SCHEMA_DIR = Path.of("schemas");

    private ConfigYaml() {
    }

    /**
     * Loads {@code valid} with {@code find} replaced by {@code replaceWith} (both written with {@code \\n} for a
     * line break; a null replacement deletes) and returns the exception it is refused with; fails if it loads.
     */
    static ConfigException refusedEdit(String valid, String find, String replaceWith, Path dir,
            Map<String, String> env) {
        String from = find.replace("\\n", "\n");
        assertThat(valid).contains(from);
        String yaml = valid.replace(from, replaceWith == null ? "" : replaceWith.replace("\\n", "\n"));

        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.parse(yaml, dir, env, "test"));

        assertThat(e).as("no ConfigException for:\n%s", yaml).isNotNull();
        return e;
    }
}
