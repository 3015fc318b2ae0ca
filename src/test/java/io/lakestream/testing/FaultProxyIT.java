package io.lakestream.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakestream.aws.AwsClients;
import io.lakestream.aws.S3ObjectStore;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.ConcurrentModificationException;

/** The fault proxy itself, in front of moto: it forwards faithfully, and each fault reaches the AWS SDK as meant. */
@ExtendWith(MotoExtension.class)
class FaultProxyIT {

    private static final String BUCKET = "proxy-it";
    private FaultProxy proxy;
    private AwsClients clients;

    @BeforeEach
    void start(MotoServer moto) {
        moto.clients().s3().createBucket(b -> b.bucket(BUCKET));
        proxy = FaultProxy.start(moto.endpoint());
        clients = new AwsClients(MotoServer.REGION, proxy.endpoint(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")));
    }

    @AfterEach
    void stop() {
        proxy.close();
    }

    @Test
    void shouldForwardPutHeadListAndReadUnchanged() {
        try (S3ObjectStore store = store(6L << 20)) {
            byte[] small = "hello".getBytes();
            byte[] large = new byte[7 << 20];
            new Random(1).nextBytes(large);

            assertThat(store.createIfAbsent("a/small", small, Map.of("k", "v"))).isTrue();
            assertThat(store.createIfAbsent("a/large", large, Map.of("k", "w"))).isTrue();
            assertThat(store.createIfAbsent("a/small", small, Map.of())).as("conditional create").isFalse();

            assertThat(store.read("a/small")).isEqualTo(small);
            assertThat(store.read("a/large")).isEqualTo(large);
            assertThat(store.metadata("a/large")).contains(Map.of("k", "w"));
            assertThat(store.list("a/")).containsExactly("a/large", "a/small");
            assertThat(proxy.count(FaultProxy.s3UploadPart())).isEqualTo(2);
            assertThat(proxy.count(FaultProxy.s3CreateMultipartUpload())).isEqualTo(1);
            assertThat(proxy.count(FaultProxy.s3CompleteMultipartUpload())).isEqualTo(1);
            assertThat(proxy.count(FaultProxy.s3PutObject())).isEqualTo(2);
        }
    }

    @Test
    void shouldInjectEachFaultTheGivenNumberOfTimesThenPass() {
        try (S3ObjectStore store = store(16L << 20)) {
            FaultProxy.Rule slowDown = proxy.s3Error(FaultProxy.s3PutObject(), 1, 503, "SlowDown");
            FaultProxy.Rule reset = proxy.reset(FaultProxy.s3PutObject(), 1, false);

            assertThat(store.createIfAbsent("b/one", new byte[] {1}, Map.of())).isTrue();

            assertThat(slowDown.injected()).isEqualTo(1);
            assertThat(reset.injected()).isEqualTo(1);
            assertThat(proxy.count(FaultProxy.s3PutObject())).isEqualTo(3);
        }
    }

    @Test
    void shouldLetTheRequestTakeEffectWhenResettingAfterForwarding() {
        try (S3ObjectStore store = store(16L << 20)) {
            proxy.reset(FaultProxy.s3PutObject(), 1, true);

            // The retry finds the object the lost response had created: If-None-Match answers 412.
            assertThat(store.createIfAbsent("c/one", new byte[] {1}, Map.of())).isFalse();
            assertThat(store.read("c/one")).containsExactly(1);
        }
    }

    @Test
    void shouldAnswerGlueErrorsAsTheSdkParsesThem() {
        try (GlueClient glue = clients.glue()) {
            proxy.glueError(FaultProxy.glue("CreateDatabase"), FaultProxy.ALWAYS, 400, "ConcurrentModificationException");

            assertThatThrownBy(() -> glue.createDatabase(b -> b.databaseInput(d -> d.name("db"))))
                    .isInstanceOf(ConcurrentModificationException.class);
            assertThat(proxy.count(FaultProxy.glue("CreateDatabase"))).as("not retried by the SDK").isEqualTo(1);
        }
    }

    @Test
    void shouldRefuseConnectionsUntilAcceptingAgain() {
        try (S3ObjectStore store = store(16L << 20)) {
            proxy.refuse();
            assertThatThrownBy(() -> store.list("")).hasMessageContaining("cannot reach S3");
            proxy.accept();
            assertThat(store.list("")).isEmpty();
        }
    }

    private S3ObjectStore store(long multipartThreshold) {
        return new S3ObjectStore(clients.s3(), BUCKET, new S3ObjectStore.Options("none", null, null,
                multipartThreshold));
    }
}
