package io.lakestream.sink;

import io.lakestream.catalog.AvroColumns;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.LandingConfig;
import io.lakestream.config.PipelineConfig;
import io.lakestream.port.Ports;
import io.lakestream.record.NormalizeOutcome.Normalized;
import io.lakestream.record.ReplayDecoder;
import org.apache.avro.Schema;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/**
 * The records sink: lands a pipeline's normalized records in its records table, exactly once (see
 * {@link WindowFlusher}), one object per (partition values, landing window, source partition[, late]). It runs in
 * the normalize stage's sub-topology, so a task's source partition is the raw partition; rows carry the
 * {@link LineageColumns}. Window closing, late records and idle closure: see {@link WindowSinkProcessor}.
 */
public final class RecordsSinkStage {

    private RecordsSinkStage() {
    }

    /** Offsets store of a pipeline's records sink; its changelog is {@code <app-id>-<name>-changelog}. */
    public static String storeName(String pipeline) {
        return pipeline + "-records-sink-buffer";
    }

    public static String processorName(String pipeline) {
        return pipeline + "-records-sink";
    }

    /**
     * @param schema  the pipeline's normalized schema (after protection); checked here so a table that cannot be
     *                cataloged fails at start, not at the first flush
     * @param decoder what the normalized stream carries for a raw record re-read after a restart (the normalize
     *                stage's replay decoder)
     * @param layouts the layout of each table
     */
    public static void add(StreamsBuilder b, KStream<byte[], Normalized> normalized, LakestreamConfig cfg,
                           PipelineConfig p, Schema schema, Ports ports, ReplayDecoder decoder,
                           TableLayouts layouts) {
        AvroColumns.columns(TableSchemas.build(schema));
        LandingConfig landing = p.landing();
        if (landing.routeBy() == null) {
            SinkTopology.add(b, normalized, SinkSpec.records(cfg, p, landing.table(),
                    storeName(p.name()), processorName(p.name()), layouts), ports, cfg.landingsTopic(), decoder);
            return;
        }
        // One sink per table, each behind a filter: its own store, objects, catalog table and landing events, so
        // exactly-once holds per table as for a single one.
        TableRouter router = new TableRouter(landing.routeBy(), landing.table(), schema);
        for (String table : landing.tables()) {
            KStream<byte[], Normalized> routed = normalized.filter((key, n) -> table.equals(router.table(n.value())),
                    Named.as(p.name() + "-route-" + table));
            // Replay rebuilds this table's windows from the records routed to it, and no others.
            ReplayDecoder routedDecoder = r -> {
                Normalized n = decoder.decode(r);
                return n != null && table.equals(router.table(n.value())) ? n : null;
            };
            SinkTopology.add(b, routed, SinkSpec.records(cfg, p, table, storeName(p.name(), table),
                    processorName(p.name(), table), layouts), ports, cfg.landingsTopic(), routedDecoder);
        }
    }

    /** Buffer store of one routed table's sink. */
    public static String storeName(String pipeline, String table) {
        return pipeline + "-" + table + "-records-sink-buffer";
    }

    public static String processorName(String pipeline, String table) {
        return pipeline + "-" + table + "-records-sink";
    }
}
