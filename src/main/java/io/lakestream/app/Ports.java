package io.lakestream.app;

import io.lakestream.catalog.Catalog;
import io.lakestream.registry.RegistrySerdes;
import io.lakestream.sink.DrainSignal;
import io.lakestream.sink.ObjectStore;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The external systems a topology talks to, built once per process by the caller of the topology factory, and
 * the drain signal through which a scheduled run closes the open windows of this process.
 */
public record Ports(RegistrySerdes registry, ObjectStore store, Catalog catalog, MeterRegistry metrics,
                    DrainSignal drain) {

    public Ports(RegistrySerdes registry, ObjectStore store, Catalog catalog, MeterRegistry metrics) {
        this(registry, store, catalog, metrics, new DrainSignal());
    }
}
