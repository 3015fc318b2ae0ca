package io.lakestream.runtime;

import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.PipelineConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;

/** The parsed normalized schema of every pipeline, by pipeline name. */
public final class Schemas {

    private Schemas() {
    }

    public static Map<String, Schema> load(LakestreamConfig config) {
        Map<String, Schema> schemas = new LinkedHashMap<>();
        for (PipelineConfig p : config.pipelines()) {
            schemas.put(p.name(), ConfigLoader.schemaOf(p));
        }
        return schemas;
    }
}
