package io.lakestream.sink;

import io.lakestream.app.Ports;
import io.lakestream.catalog.AvroColumns;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.LandingConfig;
import io.lakestream.config.PipelineConfig;
import io.lakestream.iceberg.IcebergLayout;
import io.lakestream.normalize.NormalizeOutcome.Normalized;
import org.apache.avro.Schema;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;

/**
 * The records sink: lands a pipeline's normalized records in its records table, exactly once (see
 * {@link WindowFlusher}), one object per (partition values, landing window, source partition[, late]). It runs in
 * the normalize stage's sub-topology, so a task's source partition is the raw partition; rows carry the
 * {@link LineageColumns}. Window closing, late records and idle closure: see {@link WindowSinkProcessor}.
 */
public final class RecordsSinkStage {

    private RecordsSinkStage() {
    }

    /** Buffer store of a pipeline's records sink; its changelog is {@code <app-id>-<name>-changelog}. */
    public static String storeName(String pipeline) {
        return pipeline + "-records-sink-buffer";
    }

    public static String processorName(String pipeline) {
        return pipeline + "-records-sink";
    }

    /**
     * @param schema the pipeline's normalized schema; checked here so a table that cannot be cataloged fails at
     *               start, not at the first flush
     */
    public static void add(StreamsBuilder b, KStream<byte[], Normalized> normalized, LakestreamConfig cfg,
                           PipelineConfig p, Schema schema, Ports ports) {
        AvroColumns.columns(TableSchemas.build(schema));
        LandingConfig landing = p.landing();
        SinkSpec spec = new SinkSpec(p.name(), landing.table(), landing.window(), landing.grace(),
                landing.idleTimeout(), landing.partitionBy(),
                landing.format() != null ? landing.format() : cfg.lake().format(), cfg.lake().compression(),
                cfg.catalog().database(), cfg.lake().prefix(), p.outputTopic(), storeName(p.name()),
                processorName(p.name()), p.source().topics(), DrainSignal.Stage.INPUT,
                IcebergLayout.of(cfg, landing.table(), landing.partitionBy(), p.eventTime().field()));
        SinkTopology.add(b, normalized, spec, ports, cfg.landingsTopic());
    }
}
