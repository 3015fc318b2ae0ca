package io.lakestream.normalize;

import io.lakestream.config.ConfigLoader;
import io.lakestream.config.PipelineConfig;
import io.lakestream.testing.UnitConfig;
import java.nio.file.Path;

/** Pipelines over {@code src/test/resources/normalize/types.avsc}, varied by their YAML. */
final class TestPipelines {

    private TestPipelines() {
    }

    /** A JSON pipeline "types" keyed by id with event time {@code ts}; {@code extra} is added to the event-time map. */
    static PipelineConfig types(String eventTimeExtra, String extra) {
        return UnitConfig.pipeline("""
                  - name: types
                    source: { topics: [types.raw] }
                    schema: types.avsc
                    key: id
                    event-time: { field: ts%s }
                %s""".formatted(eventTimeExtra, extra.indent(4)), Path.of("src/test/resources/normalize"));
    }

    static PipelineConfig types() {
        return types("", "");
    }

    static Normalizer normalizer(PipelineConfig pipeline) {
        return new Normalizer(pipeline, ConfigLoader.schemaOf(pipeline));
    }
}
