package io.lakestream.sink;

import io.lakestream.config.AggregationConfig;
import io.lakestream.config.ApplicationConfig;
import io.lakestream.config.CatalogConfig;
import io.lakestream.config.FileFormat;
import io.lakestream.config.HttpConfig;
import io.lakestream.config.LakeConfig;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.LandingConfig;
import io.lakestream.config.PipelineConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The claims pipeline as the config loader would produce it, with defaults filled in. */
public final class TestConfigs {

    public static final String APP_ID = "claims-lake";
    public static final String PIPELINE = "claims";
    public static final String RAW_TOPIC = "onprem.claims.raw";
    public static final String TABLE = "claims";
    public static final String DATABASE = "claims_lake";
    public static final String PREFIX = "lake/";
    public static final Duration WINDOW = Duration.ofSeconds(100);
    public static final Duration GRACE = Duration.ofSeconds(30);
    public static final Duration IDLE = Duration.ofSeconds(60);

    private TestConfigs() {
    }

    public static LakestreamConfig config(FileFormat format, List<AggregationConfig> aggregations) {
        PipelineConfig pipeline = new PipelineConfig(PIPELINE,
                new PipelineConfig.SourceConfig(List.of(RAW_TOPIC), PipelineConfig.InputFormat.JSON, null),
                Path.of("claim.avsc"), List.of("account_id"),
                new PipelineConfig.EventTimeConfig("claim_ts", "epoch-millis", null, "UTC"), Map.of(),
                PIPELINE + ".normalized", PIPELINE + ".dlq",
                new LandingConfig(TABLE, WINDOW, GRACE, IDLE, List.of("dt", "hour"), format),
                aggregations, new PipelineConfig.Limits(1 << 20, 32));
        return new LakestreamConfig(
                new ApplicationConfig(APP_ID, Path.of("unused"),
                        ApplicationConfig.ProcessingGuarantee.EXACTLY_ONCE, Duration.ofSeconds(1)),
                Map.of("bootstrap.servers", "unused:9092"),
                null,
                new LakeConfig(LakeConfig.Store.LOCAL, PREFIX, null, FileFormat.PARQUET, "snappy",
                        new LakeConfig.S3Settings("lake-bucket", null, null, "none", null, null, 16 << 20)),
                new CatalogConfig("memory", DATABASE, null, null),
                new HttpConfig(0),
                List.of(pipeline));
    }

    public static PipelineConfig pipeline(LakestreamConfig cfg) {
        return cfg.pipelines().get(0);
    }
}
