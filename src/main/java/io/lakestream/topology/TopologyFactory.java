package io.lakestream.topology;

import io.lakestream.aggregate.AggregateStage;
import io.lakestream.aggregate.AggregationInputs;
import io.lakestream.alert.AlertStage;
import io.lakestream.config.AggregationConfig;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.PipelineConfig;
import io.lakestream.config.RecordSchemas;
import io.lakestream.iceberg.IcebergCommitStage;
import io.lakestream.iceberg.IcebergLayout;
import io.lakestream.normalize.NormalizeStage;
import io.lakestream.port.Ports;
import io.lakestream.record.NormalizeOutcome;
import io.lakestream.sink.AggregatesSinkStage;
import io.lakestream.sink.RecordsSinkStage;
import io.lakestream.sink.TableLayouts;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;

/**
 * Builds the whole lakestream topology, the one place that says which stage feeds which: per pipeline, normalize →
 * alert rules, normalize → records sink, and normalize → each aggregation → aggregates sink; the landings of every
 * Iceberg table → its committer. Free of side effects (no topic creation, no AWS calls): {@code main} and
 * every TopologyTestDriver test use this one factory.
 */
public final class TopologyFactory {

    private TopologyFactory() {
    }

    /**
     * @param schemas          the parsed Avro schema of each pipeline, by pipeline name
     * @param sourcePartitions partition count of each source topic (aggregations wait for every source partition)
     */
    public static Topology build(LakestreamConfig config, Map<String, Schema> schemas, Ports ports,
                                 Map<String, Integer> sourcePartitions) {
        StreamsBuilder builder = new StreamsBuilder();
        TableLayouts layouts = IcebergLayout.of(config);
        for (PipelineConfig pipeline : config.pipelines()) {
            KStream<byte[], NormalizeOutcome.Normalized> normalized =
                    NormalizeStage.add(builder, pipeline, schemas.get(pipeline.name()), ports);
            // Every stage after normalize sees protected records (hashed/masked fields as strings, dropped ones gone)
            // with their derived columns.
            Schema schema = RecordSchemas.records(schemas.get(pipeline.name()), pipeline);
            AlertStage.add(normalized, pipeline, schema, ports);
            RecordsSinkStage.add(builder, normalized, config, pipeline, schema, ports,
                    NormalizeStage.replayDecoder(pipeline, schemas.get(pipeline.name())), layouts);
            AggregationInputs inputs = new AggregationInputs(builder, normalized, pipeline, ports);
            for (AggregationConfig aggregation : pipeline.aggregations()) {
                AggregateStage.add(builder, inputs, config, aggregation, schema, ports, sourcePartitions);
                AggregatesSinkStage.add(builder, config, pipeline, aggregation, ports,
                        AggregateStage.tasks(pipeline, sourcePartitions), layouts);
            }
        }
        IcebergCommitStage.add(builder, config, ports.store(), ports.drain(), ports.metrics());
        return builder.build();
    }
}
