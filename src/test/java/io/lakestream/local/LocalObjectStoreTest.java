package io.lakestream.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalObjectStoreTest {

    @TempDir
    Path root;

    @Test
    void shouldCreateOnceAndNeverReplaceContentOrMetadata() {
        var store = new LocalObjectStore(root);

        assertThat(store.createIfAbsent("t/dt=2024-01-01/a.parquet", bytes("first"), Map.of("first-offset", "1")))
                .isTrue();
        assertThat(store.createIfAbsent("t/dt=2024-01-01/a.parquet", bytes("second"), Map.of("first-offset", "2")))
                .isFalse();

        assertThat(store.read("t/dt=2024-01-01/a.parquet")).asString(UTF_8).isEqualTo("first");
        assertThat(store.metadata("t/dt=2024-01-01/a.parquet")).contains(Map.of("first-offset", "1"));
        assertThat(root.resolve("t/dt=2024-01-01/a.parquet")).hasContent("first");
    }

    @Test
    void shouldLetExactlyOneOfTwoRacingWritersCreateEachObjectWithItsOwnMetadata() throws Exception {
        // Two store instances, as two sinks of one process would hold, each writing from its own thread.
        var stores = List.of(new LocalObjectStore(root), new LocalObjectStore(root));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 200; round++) {
                String key = "t/race-" + round + ".json";
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int writer = 0; writer < 2; writer++) {
                    var store = stores.get(writer);
                    String name = "writer-" + writer;
                    results.add(pool.submit(() -> {
                        start.await();
                        return store.createIfAbsent(key, bytes(name), Map.of("writer", name));
                    }));
                }
                start.countDown();
                boolean first = results.get(0).get();
                boolean second = results.get(1).get();

                assertThat(first ^ second).as("exactly one winner for %s", key).isTrue();
                String winner = first ? "writer-0" : "writer-1";
                assertThat(stores.get(0).read(key)).asString(UTF_8).isEqualTo(winner);
                assertThat(stores.get(1).metadata(key)).contains(Map.of("writer", winner));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldListOnlyObjectsUnderThePrefixInOrder() throws Exception {
        var store = new LocalObjectStore(root);
        store.createIfAbsent("t/dt=2024-01-02/hour=00/b.csv", bytes("b"), Map.of());
        store.createIfAbsent("t/dt=2024-01-01/hour=01/a.csv", bytes("a"), Map.of("k", "v"));
        store.createIfAbsent("t/dt=2024-01-01/hour=00/a.csv", bytes("a"), Map.of());
        store.createIfAbsent("tables/x.csv", bytes("x"), Map.of());
        Files.writeString(root.resolve("t/dt=2024-01-01/hour=00/.a.csv.123.tmp"), "leftover of a crash");

        assertThat(store.list("t/")).containsExactly("t/dt=2024-01-01/hour=00/a.csv",
                "t/dt=2024-01-01/hour=01/a.csv", "t/dt=2024-01-02/hour=00/b.csv");
        assertThat(store.list("t/dt=2024-01-01/hour=0")).containsExactly("t/dt=2024-01-01/hour=00/a.csv",
                "t/dt=2024-01-01/hour=01/a.csv");
        assertThat(store.list("t")).hasSize(4);
        assertThat(store.list("nothing/")).isEmpty();
    }

    @Test
    void shouldListAFolderWhileAnotherWriterCreatesObjectsInIt() throws Exception {
        // Two stream threads (or instances) land objects of the same partition folder: one lists while the other's
        // temp files come and go.
        LocalObjectStore store = new LocalObjectStore(root);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<?> writes = writer.submit(() -> {
                for (int i = 0; i < 400; i++) {
                    store.createIfAbsent("t/dt=1/w-" + i + ".parquet", new byte[64 * 1024], Map.of("n", "" + i));
                }
            });
            List<Integer> sizes = new ArrayList<>();
            while (!writes.isDone()) {
                sizes.add(store.list("t/dt=1/w-").size());
            }
            writes.get();
            assertThat(sizes).isSorted();
            assertThat(store.list("t/dt=1/w-")).hasSize(400);
        } finally {
            writer.shutdownNow();
        }
    }

    @Test
    void shouldIgnoreMetadataLeftByAWriteThatCrashedBeforeItsObjectAppeared() throws Exception {
        var store = new LocalObjectStore(root);
        Files.createDirectories(root.resolve("t"));
        Files.writeString(root.resolve("t/.a.avro.meta.json"), "{\"first-offset\":\"99\"}");

        assertThat(store.metadata("t/a.avro")).isEmpty();
        assertThat(store.createIfAbsent("t/a.avro", bytes("a"), Map.of("first-offset", "5"))).isTrue();
        assertThat(store.metadata("t/a.avro")).contains(Map.of("first-offset", "5"));
    }

    /** Whether the test folder's file system keeps user extended attributes (ext4, xfs, btrfs, tmpfs on 6.6+ do). */
    private boolean attributesSupported() throws IOException {
        Path probe = Files.createTempFile(root, "probe", "");
        try {
            Files.getFileAttributeView(probe, UserDefinedFileAttributeView.class).write("probe",
                    ByteBuffer.wrap(new byte[] {1}));
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        } finally {
            Files.delete(probe);
        }
    }

    @Test
    void shouldKeepMetadataInTheObjectsOwnAttributeWhereTheFileSystemHasThem() throws Exception {
        var store = new LocalObjectStore(root);
        store.createIfAbsent("t/a.parquet", bytes("a"), Map.of("first-offset", "7"));

        Path sidecar = root.resolve("t/.a.parquet.meta.json");
        if (attributesSupported()) {
            assertThat(ObjectAttributes.read(root.resolve("t/a.parquet")).map(b -> new String(b, UTF_8)))
                    .contains("{\"first-offset\":\"7\"}");
            assertThat(sidecar).doesNotExist();
        } else {
            assertThat(sidecar).exists();
        }
        assertThat(store.metadata("t/a.parquet")).contains(Map.of("first-offset", "7"));
    }

    @Test
    void shouldKeepMetadataInASidecarWithoutAttributesAndReadItBackFromAnyStore() {
        var withoutAttributes = new LocalObjectStore(root, new ObjectAttributes(false));
        withoutAttributes.createIfAbsent("t/a.parquet", bytes("a"), Map.of("first-offset", "7"));

        assertThat(root.resolve("t/.a.parquet.meta.json")).exists();
        assertThat(withoutAttributes.metadata("t/a.parquet")).contains(Map.of("first-offset", "7"));
        // an object written before attributes were used, read by a store that uses them
        assertThat(new LocalObjectStore(root).metadata("t/a.parquet")).contains(Map.of("first-offset", "7"));
    }

    @Test
    void shouldPutMetadataTooLargeForAnAttributeInASidecar() {
        var store = new LocalObjectStore(root);
        Map<String, String> large = Map.of("ranges", "x".repeat(ObjectAttributes.MAX_BYTES + 1));
        store.createIfAbsent("t/a.parquet", bytes("a"), large);

        assertThat(root.resolve("t/.a.parquet.meta.json")).exists();
        assertThat(store.metadata("t/a.parquet")).contains(large);
    }

    @Test
    void shouldDeleteAnObjectWithItsMetadata() {
        var store = new LocalObjectStore(root);
        store.createIfAbsent("probe/x", bytes("x"), Map.of("a", "b"));

        store.delete("probe/x");

        assertThat(store.metadata("probe/x")).isEmpty();
        assertThat(store.list("probe/")).isEmpty();
        assertThat(store.createIfAbsent("probe/x", bytes("y"), Map.of())).isTrue();
    }

    @Test
    void shouldRefuseKeysThatLeaveTheLakeFolderOrNameReservedFiles() {
        var store = new LocalObjectStore(root.resolve("lake"));

        assertThatThrownBy(() -> store.createIfAbsent("../outside", bytes("x"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("escapes the lake folder");
        assertThatThrownBy(() -> store.createIfAbsent("/etc/passwd", bytes("x"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.createIfAbsent("t/.a.meta.json", bytes("x"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a valid object key");
        assertThat(root.resolve("outside")).doesNotExist();
    }

    @Test
    void shouldNameObjectsByTheirPath() {
        var store = new LocalObjectStore(root);

        assertThat(store.uri("t/a.parquet")).isEqualTo(root.toAbsolutePath().resolve("t/a.parquet").toString());
        assertThat(store.uri("t/dt=2024-05-01/")).isEqualTo(root.toAbsolutePath().resolve("t/dt=2024-05-01") + "/");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }
}
