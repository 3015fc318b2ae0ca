package io.lakestream.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.check.CheckResult.Status;
import io.lakestream.config.LakeConfig;
import io.lakestream.port.ObjectStore;
import io.lakestream.port.ObjectStoreException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreProbeTest {

    private final MemoryStore store = new MemoryStore();
    private final CheckConfigs config = new CheckConfigs();

    @Test
    void shouldWriteAProbeUnderThePrefixThenDeleteIt() {
        CheckResult result = probe().run().get(0);

        assertThat(result.status()).isEqualTo(Status.OK);
        assertThat(store.written).singleElement().asString().matches("lakestream/_lakestream_check/[0-9a-f-]{36}");
        assertThat(result.detail()).isEqualTo("wrote and deleted s3://lake/" + store.written.get(0) + " (sse none)");
        assertThat(store.objects).isEmpty();
        assertThat(store.closed).isTrue();
    }

    @Test
    void shouldFailWithTheStoreMessageAndAHintWhenTheBucketIsMissing() {
        store.writeFailure = new ObjectStoreException("bucket 'lake' does not exist: create it or fix lake.bucket",
                AwsErrors.s3Error(404, "NoSuchBucket"));

        assertThat(probe().run()).containsExactly(CheckResult.fail("store",
                "bucket 'lake' does not exist: create it or fix lake.bucket",
                "aws s3 mb s3://lake (in us-east-1), or fix lake.bucket"));
    }

    @Test
    void shouldSayWhereTheProbeWroteWhenAccessIsDenied() {
        store.writeFailure = new ObjectStoreException("access denied (AccessDenied) on write",
                AwsErrors.s3Error(403, "AccessDenied"));

        CheckResult result = probe().run().get(0);

        assertThat(result.status()).isEqualTo(Status.FAIL);
        assertThat(result.hint()).isEqualTo("the probe writes under s3://lake/lakestream/_lakestream_check/ exactly"
                + " as lakestream writes its objects (If-None-Match, sse none)");
    }

    @Test
    void shouldOnlyWarnWhenTheProbeCannotBeDeleted() {
        store.deleteFailure = new ObjectStoreException("access denied (AccessDenied) on delete",
                AwsErrors.s3Error(403, "AccessDenied"));

        CheckResult result = probe().run().get(0);

        assertThat(result.status()).isEqualTo(Status.WARN);
        assertThat(result.detail()).startsWith("wrote s3://lake/lakestream/_lakestream_check/")
                .endsWith("but could not delete it: access denied (AccessDenied) on delete");
    }

    @Test
    void shouldFailWhenTheClientCannotBeBuilt() {
        CheckResult result = new StoreProbe(config.build().lake(), () -> {
            throw new IllegalArgumentException("no region");
        }).run().get(0);

        assertThat(result).isEqualTo(CheckResult.fail("store", "cannot set up S3 for bucket 'lake': no region",
                "check lake.region and lake.endpoint"));
    }

    @Test
    void shouldCheckTheFolderOfALocalLake(@TempDir Path dir) {
        config.store = LakeConfig.Store.LOCAL;
        config.localDir = dir;

        assertThat(probe().run()).containsExactly(CheckResult.ok("store", "lake folder " + dir + " is writable"));
    }

    private StoreProbe probe() {
        return new StoreProbe(config.build().lake(), () -> store);
    }

    /** An S3-like store in memory, with injectable write and delete failures. */
    private static final class MemoryStore implements ObjectStore {
        final Map<String, byte[]> objects = new TreeMap<>();
        final List<String> written = new ArrayList<>();
        ObjectStoreException writeFailure;
        ObjectStoreException deleteFailure;
        boolean closed;

        @Override
        public boolean createIfAbsent(String key, byte[] content, Map<String, String> metadata) {
            if (writeFailure != null) {
                throw writeFailure;
            }
            written.add(key);
            return objects.putIfAbsent(key, content) == null;
        }

        @Override
        public Optional<Map<String, String>> metadata(String key) {
            return Optional.empty();
        }

        @Override
        public byte[] read(String key) {
            return objects.get(key);
        }

        @Override
        public List<String> list(String prefix) {
            return objects.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
        }

        @Override
        public void delete(String key) {
            if (deleteFailure != null) {
                throw deleteFailure;
            }
            objects.remove(key);
        }

        @Override
        public String uri(String key) {
            return "s3://lake/" + key;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
