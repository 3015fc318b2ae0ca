package io.lakestream.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class BoundedRocksDbMemoryTest {

    static {
        RocksDB.loadLibrary();
    }

    @Test
    void shouldShareOneBlockCacheBetweenStores() {
        BoundedRocksDbMemory setter = new BoundedRocksDbMemory();
        try (Options first = new Options(); Options second = new Options()) {
            first.setTableFormatConfig(new BlockBasedTableConfig());
            second.setTableFormatConfig(new BlockBasedTableConfig());
            Map<String, Object> configs = Map.of(BoundedRocksDbMemory.MEMORY_MB, "64");

            setter.setConfig("store-a", first, configs);
            setter.setConfig("store-b", second, configs);

            BlockBasedTableConfig a = (BlockBasedTableConfig) first.tableFormatConfig();
            BlockBasedTableConfig b = (BlockBasedTableConfig) second.tableFormatConfig();
            assertThat(a.cacheIndexAndFilterBlocks()).isTrue();
            assertThat(b.cacheIndexAndFilterBlocks()).isTrue();
            assertThat(first.writeBufferManager()).isNotNull().isSameAs(second.writeBufferManager());
        }
    }

    @Test
    void shouldReadTheBoundInMebibytesWithADefault() {
        assertThat(BoundedRocksDbMemory.bytes("512")).isEqualTo(512L << 20);
        assertThat(BoundedRocksDbMemory.bytes(null)).isEqualTo(BoundedRocksDbMemory.DEFAULT_MEMORY_MB << 20);
        assertThat(BoundedRocksDbMemory.bytes(" ")).isEqualTo(BoundedRocksDbMemory.DEFAULT_MEMORY_MB << 20);
    }

    @Test
    void shouldRefuseABoundThatIsNotANumber() {
        assertThatThrownBy(() -> BoundedRocksDbMemory.bytes("512MiB"))
                .hasMessage("lakestream.rocksdb.memory.mb: must be a whole number of MiB, was \"512MiB\"");
    }

    @Test
    void shouldRefuseABoundBelow32MiB() {
        assertThatThrownBy(() -> BoundedRocksDbMemory.bytes("8"))
                .hasMessage("lakestream.rocksdb.memory.mb: must be at least 32 (MiB), was 8");
    }
}
