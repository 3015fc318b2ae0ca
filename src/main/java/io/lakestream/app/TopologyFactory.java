package io.lakestream.app;

import io.lakestream.aggregate.AggregateStage;
import io.lakestream.config.AggregationConfig;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.PipelineConfig;
import io.lakestream.iceberg.IcebergCommitStage;
import io.lakestream.normalize.NormalizeOutcome;
import io.lakestream.normalize.NormalizeStage;
import io.lakestream.sink.RecordsSinkStage;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;

/**
 * Builds the whole lakestream topology: per pipeline, normalize → records sink, and normalize → each
 * aggregation → aggregates sink. Free of side effects (no topic creation, no AWS calls): {@code main} and
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
        for (PipelineConfig pipeline : config.pipelines()) {
            Schema schema = schemas.get(pipeline.name());
            KStream<byte[], NormalizeOutcome.Normalized> normalized =
                    NormalizeStage.add(builder, pipeline, schema, ports);
            RecordsSinkStage.add(builder, normalized, config, pipeline, schema, ports);
            for (AggregationConfig aggregation : pipeline.aggregations()) {
                AggregateStage.add(builder, normalized, config, pipeline, aggregation, schema, ports,
                        sourcePartitions);
            }
        }
        IcebergCommitStage.add(builder, config, ports.store());
        return builder.build();
    }
}
