package io.lakestream.runtime;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the off-heap memory of every RocksDB state store of this JVM together: one block cache and one write-buffer
 * manager shared by all stores, index and filter blocks counted in the cache. Without it each store (and each
 * segment of a windowed store) takes its own 50 MB cache and 3 × 16 MB memtables, so a container's memory is
 * exceeded as partitions move in, however the heap is sized.
 *
 * <p>Enabled from the config's {@code kafka:} section, which Kafka Streams passes to {@link #setConfig}:
 * <pre>
 *   rocksdb.config.setter: io.lakestream.runtime.BoundedRocksDbMemory
 *   lakestream.rocksdb.memory.mb: 512      # block cache + memtables of all stores
 * </pre>
 * A quarter of the bound goes to memtables (the write-buffer manager charges them to the same cache).
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {

    /** The Kafka Streams config key read here (not a Kafka setting: Streams passes it through). */
    public static final String MEMORY_MB = "lakestream.rocksdb.memory.mb";
    static final long DEFAULT_MEMORY_MB = 256;
    private static final double INDEX_FILTER_RATIO = 0.1;

    private static Shared shared;

    /** The one cache and write-buffer manager of the JVM, made on the first store's configuration. */
    private record Shared(long bytes, Cache cache, WriteBufferManager writeBuffers) {
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Shared memory = shared(bytes(configs.get(MEMORY_MB)));
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(memory.cache());
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(memory.writeBuffers());
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the write-buffer manager are shared by every store and live as long as the JVM.
    }

    /** The bound in bytes: a whole number of MiB, at least 32; {@value #DEFAULT_MEMORY_MB} MiB when unset. */
    static long bytes(Object value) {
        long mb = DEFAULT_MEMORY_MB;
        if (value != null && !value.toString().isBlank()) {
            try {
                mb = Long.parseLong(value.toString().strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(MEMORY_MB + ": must be a whole number of MiB, was \"" + value + "\"", e);
            }
        }
        if (mb < 32) {
            throw new IllegalArgumentException(MEMORY_MB + ": must be at least 32 (MiB), was " + mb);
        }
        return mb << 20;
    }

    private static synchronized Shared shared(long bytes) {
        if (shared == null || shared.bytes() != bytes) {
            Cache cache = new LRUCache(bytes, -1, false, INDEX_FILTER_RATIO);
            shared = new Shared(bytes, cache, new WriteBufferManager(bytes / 4, cache));
        }
        return shared;
    }
}
