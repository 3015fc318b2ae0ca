package io.lakestream.config;

import java.util.List;
import java.util.Map;

/**
 * One deployment's configuration, as loaded from YAML and validated by {@link ConfigLoader}.
 * Every value here is already defaulted and checked; consumers never re-validate.
 *
 * @param kafka        Kafka client properties passed through verbatim (SSL/SASL included)
 * @param tableFormats which tables are Iceberg tables (the others are Hive-style)
 */
public record LakestreamConfig(
        ApplicationConfig application,
        Map<String, String> kafka,
        RegistryConfig registry,
        LakeConfig lake,
        CatalogConfig catalog,
        HttpConfig http,
        List<PipelineConfig> pipelines,
        TableFormatConfig tableFormats) {

    /** A configuration whose tables are all Hive-style. */
    public LakestreamConfig(ApplicationConfig application, Map<String, String> kafka, RegistryConfig registry,
                            LakeConfig lake, CatalogConfig catalog, HttpConfig http, List<PipelineConfig> pipelines) {
        this(application, kafka, registry, lake, catalog, http, pipelines, TableFormatConfig.ALL_HIVE);
    }

    /** This configuration with other pipelines (the same ones, completed at start). */
    public LakestreamConfig withPipelines(List<PipelineConfig> newPipelines) {
        return new LakestreamConfig(application, kafka, registry, lake, catalog, http, List.copyOf(newPipelines),
                tableFormats);
    }

    /** Topic carrying one landing event per flushed object. */
    public String landingsTopic() {
        return application.id() + ".landings";
    }
}
