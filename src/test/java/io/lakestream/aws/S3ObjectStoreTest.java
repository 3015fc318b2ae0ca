package io.lakestream.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakestream.port.ObjectStoreException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Error paths moto cannot produce: concurrent conditional writes (409) and access denied (403). */
class S3ObjectStoreTest {

    @Test
    void shouldRetryAConditionalConflictAndReportFalseWhenTheOtherWriterWon() {
        var s3 = new ScriptedPuts(error(409, "ConditionalRequestConflict"), error(409, "ConditionalRequestConflict"),
                error(412, "PreconditionFailed"));
        var store = new S3ObjectStore(s3, "lake", S3ObjectStore.Options.defaults());

        assertThat(store.createIfAbsent("t/a", new byte[] {1}, Map.of())).isFalse();
        assertThat(s3.calls).isEqualTo(3);
    }

    @Test
    void shouldGiveUpOnAConflictThatOutlastsTheRetries() {
        var s3 = new ScriptedPuts();
        for (int i = 0; i < 10; i++) {
            s3.outcomes.add(error(409, "ConditionalRequestConflict"));
        }
        var store = new S3ObjectStore(s3, "lake", S3ObjectStore.Options.defaults());

        assertThatThrownBy(() -> store.createIfAbsent("t/a", new byte[] {1}, Map.of()))
                .isInstanceOf(ObjectStoreException.class)
                .hasMessageContaining("s3://lake/t/a").hasMessageContaining("in flight through 5 attempts");
    }

    @Test
    void shouldFailAtOnceOnAccessDeniedSayingWhichPermissionsToGrant() {
        var s3 = new ScriptedPuts(error(403, "AccessDenied"));
        var store = new S3ObjectStore(s3, "lake", new S3ObjectStore.Options("kms", "key-1", "123456789012", 1 << 20));

        assertThatThrownBy(() -> store.createIfAbsent("t/a", new byte[] {1}, Map.of()))
                .isInstanceOf(ObjectStoreException.class)
                .hasMessageContaining("access denied (AccessDenied) on write of s3://lake/t/a")
                .hasMessageContaining("s3:PutObject")
                .hasMessageContaining("belongs to account 123456789012 (lake.expected-bucket-owner)");
        assertThat(s3.calls).isEqualTo(1);
    }

    @Test
    void shouldRejectAnUnknownEncryptionMode() {
        assertThatThrownBy(() -> new S3ObjectStore.Options("aes", null, null, 1))
                .hasMessage("sse must be none, s3 or kms, not 'aes'");
    }

    private static S3Exception error(int status, String code) {
        return (S3Exception) S3Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build()).build();
    }

    /** PutObject answers with the scripted exceptions in turn, then succeeds. */
    private static final class ScriptedPuts implements S3Client {
        final Deque<S3Exception> outcomes = new ArrayDeque<>();
        int calls;

        ScriptedPuts(S3Exception... outcomes) {
            this.outcomes.addAll(java.util.List.of(outcomes));
        }

        @Override
        public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
            calls++;
            S3Exception next = outcomes.poll();
            if (next != null) {
                throw next;
            }
            return PutObjectResponse.builder().build();
        }

        @Override
        public String serviceName() {
            return "s3";
        }

        @Override
        public void close() {
        }
    }
}
