package io.lakestream.aws;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakestream.port.ObjectStoreException;
import io.lakestream.testing.MotoExtension;
import io.lakestream.testing.MotoServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

@ExtendWith(MotoExtension.class)
class S3ObjectStoreIT {

    private static final String BUCKET = "lake";
    private static final long MIB = 1024 * 1024;

    private S3Client s3;
    private S3ObjectStore store;

    @BeforeEach
    void createBucket(MotoServer moto) {
        s3 = moto.clients().s3();
        s3.createBucket(b -> b.bucket(BUCKET));
        store = new S3ObjectStore(moto.clients().s3(), BUCKET, S3ObjectStore.Options.defaults());
    }

    @AfterEach
    void closeClients() {
        store.close();
        s3.close();
    }

    @Test
    void shouldRefuseToReplaceAnExistingObject() {
        assertThat(store.createIfAbsent("t/dt=2024-01-01/a.parquet", bytes("first"), Map.of("first-offset", "7")))
                .isTrue();

        boolean second = store.createIfAbsent("t/dt=2024-01-01/a.parquet", bytes("second"),
                Map.of("first-offset", "9"));

        assertThat(second).isFalse();
        assertThat(store.read("t/dt=2024-01-01/a.parquet")).asString(UTF_8).isEqualTo("first");
        assertThat(store.metadata("t/dt=2024-01-01/a.parquet")).contains(Map.of("first-offset", "7"));
    }

    @Test
    void shouldReturnUserMetadataWrittenWithTheObjectAndNothingForAMissingKey() {
        Map<String, String> metadata = Map.of("first-offset", "100", "last-offset", "199", "record-count", "100");
        store.createIfAbsent("t/b.csv", bytes("x"), metadata);

        assertThat(store.metadata("t/b.csv")).contains(metadata);
        assertThat(store.metadata("t/missing.csv")).isEmpty();
    }

    @Test
    void shouldUploadLargeObjectsInPartsWithMetadataAndEncryption(MotoServer moto) {
        var options = new S3ObjectStore.Options("s3", null, null, MIB);
        try (var multipart = new S3ObjectStore(moto.clients().s3(), BUCKET, options)) {
            byte[] content = randomBytes(11 * MIB);

            assertThat(multipart.createIfAbsent("t/big.parquet", content, Map.of("first-offset", "1"))).isTrue();

            assertThat(multipart.read("t/big.parquet")).isEqualTo(content);
            assertThat(multipart.metadata("t/big.parquet")).contains(Map.of("first-offset", "1"));
            var head = s3.headObject(b -> b.bucket(BUCKET).key("t/big.parquet"));
            assertThat(head.eTag()).as("multipart ETags end in -<parts>").endsWith("-3\"");
            assertThat(head.serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
            assertThat(multipart.createIfAbsent("t/big.parquet", randomBytes(2 * MIB), Map.of())).isFalse();
            assertThat(multipart.read("t/big.parquet")).isEqualTo(content);
        }
    }

    @Test
    void shouldRefuseMultipartCompletionOverAnExistingKeyAndAbortTheUpload(MotoServer moto) {
        store.createIfAbsent("t/raced.avro", bytes("winner"), Map.of());
        var upload = new S3MultipartUpload(s3, BUCKET, new S3ObjectStore.Options("none", null, null, MIB));

        assertThatThrownBy(() -> upload.createIfAbsent("t/raced.avro", randomBytes(6 * MIB), Map.of()))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));

        assertThat(store.read("t/raced.avro")).asString(UTF_8).isEqualTo("winner");
        assertThat(s3.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).isEmpty();
    }

    @Test
    void shouldFailFastNamingTheFixWhenTheBucketDoesNotExist(MotoServer moto) {
        try (var missing = new S3ObjectStore(moto.clients().s3(), "no-such-lake", S3ObjectStore.Options.defaults())) {
            assertThatThrownBy(() -> missing.createIfAbsent("t/a.json", bytes("{}"), Map.of()))
                    .isInstanceOf(ObjectStoreException.class)
                    .hasMessage("bucket 'no-such-lake' does not exist: create it or fix lake.bucket");
            assertThatThrownBy(() -> missing.list("t/"))
                    .hasMessage("bucket 'no-such-lake' does not exist: create it or fix lake.bucket");
        }
    }

    @Test
    void shouldListEveryKeyUnderThePrefixAcrossPagesInOrder() throws Exception {
        List<String> keys = IntStream.range(0, 1005).mapToObj(i -> String.format("t/dt=2024-01-01/%05d.json", i))
                .toList();
        var pool = Executors.newFixedThreadPool(8);
        try {
            var futures = new ArrayList<Future<Boolean>>();
            keys.forEach(key -> futures.add(pool.submit(() -> store.createIfAbsent(key, bytes(key), Map.of()))));
            for (var future : futures) {
                assertThat(future.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        store.createIfAbsent("other/x.json", bytes("x"), Map.of());

        assertThat(store.list("t/")).containsExactlyElementsOf(keys);
    }

    @Test
    void shouldDeleteAnObjectAndNameItsUri() {
        store.createIfAbsent("probe/x", bytes("x"), Map.of());

        store.delete("probe/x");

        assertThat(store.metadata("probe/x")).isEmpty();
        assertThat(store.uri("probe/x")).isEqualTo("s3://lake/probe/x");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    private static byte[] randomBytes(long size) {
        byte[] bytes = new byte[(int) size];
        new Random(42).nextBytes(bytes);
        return bytes;
    }
}
