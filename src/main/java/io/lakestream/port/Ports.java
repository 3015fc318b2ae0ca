package io.lakestream.port;

import io.lakestream.catalog.Catalog;
import io.lakestream.registry.RegistrySerdes;
import io.lakestream.window.DrainSignal;
import io.lakestream.window.InputReplay;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The external systems a topology talks to, built once per process by the caller of the topology factory, and
 * the drain signal through which a scheduled run closes the open windows of this process.
 *
 * @param replay re-reads input partitions to rebuild a sink task's open windows after a restart
 */
public record Ports(RegistrySerdes registry, ObjectStore store, Catalog catalog, MeterRegistry metrics,
                    DrainSignal drain, InputReplay replay) {

    /** Ports for a topology that never restarts with open windows (a replay fails loudly). */
    public Ports(RegistrySerdes registry, ObjectStore store, Catalog catalog, MeterRegistry metrics) {
        this(registry, store, catalog, metrics, new DrainSignal(), InputReplay.UNAVAILABLE);
    }

    /** These ports with {@code replay} as the input replay. */
    public Ports withReplay(InputReplay replay) {
        return new Ports(registry, store, catalog, metrics, drain, replay);
    }
}
