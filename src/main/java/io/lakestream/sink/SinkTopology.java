package io.lakestream.sink;

import io.lakestream.port.Ports;
import io.lakestream.record.NormalizeOutcome.Normalized;
import io.lakestream.record.ReplayDecoder;
import io.lakestream.sink.format.FormatWriter;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/** Wires one sink (offsets store, window processor, landings output) onto a stream of normalized records. */
final class SinkTopology {

    private SinkTopology() {
    }

    static void add(StreamsBuilder builder, KStream<?, Normalized> input, SinkSpec spec, Ports ports,
                    String landingsTopic, ReplayDecoder decoder) {
        // Fail at topology build time, not at the first flush, if the table cannot be written.
        FormatWriter writer = FormatWriter.of(spec.target().format(), spec.target().compression());
        // Offsets only (see LandingState). Cached: the watermark keys are rewritten on almost every record; the cache
        // sends each to the changelog once per commit instead.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(spec.storeName()),
                Serdes.Bytes(), Serdes.ByteArray()).withCachingEnabled());
        SinkMetrics metrics = new SinkMetrics(ports.metrics(), spec.pipeline(), spec.table());
        @SuppressWarnings("unchecked")
        KStream<Object, Normalized> records = (KStream<Object, Normalized>) input;
        records.process(() -> new WindowSinkProcessor(spec, ports.registry().serializer(), metrics,
                                () -> new WindowFlusher(spec, ports.store(), ports.registry().deserializer(), writer,
                                        spec.target().layout().committer(
                                                () -> new CatalogUpdater(ports.catalog(), spec, ports.store()::uri)),
                                        metrics),
                                ports.drain(), ports.replay(), decoder),
                        Named.as(spec.processorName()), spec.storeName())
                .to(landingsTopic, Produced.with(Serdes.String(), Serdes.String())
                        .withName(spec.processorName() + "-landings"));
    }
}
