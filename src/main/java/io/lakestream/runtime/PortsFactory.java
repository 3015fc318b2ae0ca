package io.lakestream.runtime;


import io.lakestream.aws.GlueCatalog;
import io.lakestream.aws.GlueSchemaRegistrySerdes;
import io.lakestream.aws.S3ObjectStore;
import io.lakestream.catalog.Catalog;
import io.lakestream.catalog.PartitionSpec;
import io.lakestream.catalog.TableDefinition;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.local.LocalCatalog;
import io.lakestream.local.LocalObjectStore;
import io.lakestream.port.ObjectStore;
import io.lakestream.port.Ports;
import io.lakestream.registry.Compatibility;
import io.lakestream.registry.InMemoryRegistry;
import io.lakestream.registry.LocalFolderRegistry;
import io.lakestream.registry.MemoizingRegistrySerdes;
import io.lakestream.registry.RegistrySerdes;
import io.lakestream.window.KafkaInputReplay;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/** Builds the adapters a config asks for. The only place that chooses between AWS, local and in-memory. */
public final class PortsFactory {

    private PortsFactory() {
    }

    public static Ports create(LakestreamConfig config, MeterRegistry metrics) {
        return new Ports(new MemoizingRegistrySerdes(registry(config, metrics)), store(config),
                catalog(config, metrics), metrics).withReplay(new KafkaInputReplay(StreamsProperties.of(config)));
    }

    public static RegistrySerdes registry(LakestreamConfig config, MeterRegistry metrics) {
        return switch (config.registry().type()) {
            case "glue" -> GlueSchemaRegistrySerdes.from(config.registry(), metrics);
            case "local" -> new LocalFolderRegistry(config.registry().localDir(),
                    Compatibility.of(config.registry().compatibility()));
            case "memory" -> new InMemoryRegistry(Compatibility.of(config.registry().compatibility()));
            default -> throw new IllegalArgumentException("registry.type: unknown " + config.registry().type());
        };
    }

    public static ObjectStore store(LakestreamConfig config) {
        return switch (config.lake().store()) {
            case S3 -> S3ObjectStore.from(config.lake());
            case LOCAL -> LocalObjectStore.from(config.lake());
        };
    }

    static Catalog catalog(LakestreamConfig config, MeterRegistry metrics) {
        return switch (config.catalog().type()) {
            case "glue" -> GlueCatalog.from(config.catalog(), metrics);
            case "local" -> LocalCatalog.from(config.lake());
            case "none" -> new NoCatalog();
            default -> throw new IllegalArgumentException("catalog.type: unknown " + config.catalog().type());
        };
    }

    /** {@code catalog.type: none}: objects land, no table is kept anywhere. */
    private static final class NoCatalog implements Catalog {
        @Override
        public void ensureTable(TableDefinition table) {
        }

        @Override
        public void addPartitions(String database, String table, List<PartitionSpec> partitions) {
        }

        @Override
        public List<PartitionSpec> partitions(String database, String table) {
            return List.of();
        }

        @Override
        public TableDefinition table(String database, String table) {
            return null;
        }
    }
}
