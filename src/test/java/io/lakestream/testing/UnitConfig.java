package io.lakestream.testing;

import io.lakestream.config.ConfigLoader;
import io.lakestream.config.PipelineConfig;
import java.nio.file.Path;
import java.util.Map;

/** One pipeline's configuration for unit tests: local adapters and a broker that is never contacted. */
public final class UnitConfig {

    private static final String HEAD = """
            application: { id: test }
            kafka: { bootstrap.servers: "unused:9092" }
            lake: { store: local }
            catalog: { type: none }
            pipelines:
            """;

    /** The claims pipeline's name, source, schema, key and event time; append its other keys, indented 4. */
    public static final String CLAIMS = """
              - name: claims
                source: { topics: [raw] }
                schema: claim.avsc
                key: account_id
                event-time: { field: claim_ts }
            """;

    private UnitConfig() {
    }

    /**
     * @param pipelineYaml one entry of {@code pipelines:} ({@code "  - name: …"})
     * @param schemaDir    the folder its schema path is relative to
     */
    public static PipelineConfig pipeline(String pipelineYaml, Path schemaDir) {
        return ConfigLoader.parse(HEAD + pipelineYaml, schemaDir, Map.of(), "test").pipelines().get(0);
    }
}
