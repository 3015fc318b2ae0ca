package io.lakestream.aws;

import io.lakestream.check.AwsErrors;
import static io.lakestream.aws.AwsFailures.Kind.ACCESS_DENIED;
import static io.lakestream.aws.AwsFailures.Kind.CREDENTIALS_REJECTED;
import static io.lakestream.aws.AwsFailures.Kind.NO_CREDENTIALS;
import static io.lakestream.aws.AwsFailures.Kind.OTHER;
import static io.lakestream.aws.AwsFailures.Kind.TIMEOUT;
import static io.lakestream.aws.AwsFailures.Kind.UNREACHABLE;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.port.ObjectStoreException;
import java.net.ConnectException;
import java.net.URI;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

class AwsFailuresTest {

    @Test
    void shouldTellMissingRejectedAndInsufficientCredentialsApart() {
        assertThat(AwsFailures.kind(SdkClientException.create("Unable to load credentials from any of the providers"
                + " in the chain"))).isEqualTo(NO_CREDENTIALS);
        assertThat(AwsFailures.kind(AwsErrors.glueError(400, "UnrecognizedClientException")))
                .isEqualTo(CREDENTIALS_REJECTED);
        assertThat(AwsFailures.kind(AwsErrors.s3Error(403, "InvalidAccessKeyId"))).isEqualTo(CREDENTIALS_REJECTED);
        assertThat(AwsFailures.kind(AwsErrors.glueAccessDenied())).isEqualTo(ACCESS_DENIED);
        assertThat(AwsFailures.kind(AwsErrors.s3Error(403, "AccessDenied"))).isEqualTo(ACCESS_DENIED);
    }

    @Test
    void shouldTellTimeoutsFromUnreachableEndpointsAndOtherErrors() {
        assertThat(AwsFailures.kind(ApiCallTimeoutException.create(10_000))).isEqualTo(TIMEOUT);
        assertThat(AwsFailures.kind(SdkClientException.create("Unable to execute HTTP request: Connection refused",
                new ConnectException("Connection refused")))).isEqualTo(UNREACHABLE);
        assertThat(AwsFailures.kind(AwsErrors.glueError(400, "InvalidInputException"))).isEqualTo(OTHER);
        assertThat(AwsFailures.kind(new IllegalStateException("no SDK involved"))).isEqualTo(OTHER);
    }

    @Test
    void shouldClassifyTheSdkCauseOfAStoreException() {
        assertThat(AwsFailures.kind(new ObjectStoreException("access denied", AwsErrors.s3Error(403, "AccessDenied"))))
                .isEqualTo(ACCESS_DENIED);
    }

    @Test
    void shouldNameTheSettingsAndPermissionsToLookAt() {
        assertThat(AwsFailures.hint(AwsErrors.glueAccessDenied(), "registry", "glue:GetRegistry"))
                .isEqualTo("grant the principal in use glue:GetRegistry");
        assertThat(AwsFailures.hint(ApiCallTimeoutException.create(10_000), "catalog", "x"))
                .isEqualTo("check catalog.endpoint, catalog.region and the network (proxy, firewall)");
        assertThat(AwsFailures.hint(SdkClientException.create("Unable to load credentials"), "lake", "x"))
                .contains("AWS_ACCESS_KEY_ID", "task role");
        assertThat(AwsFailures.hint(AwsErrors.glueError(400, "InvalidInputException"), "catalog", "x")).isNull();
    }

    @Test
    void shouldSayWhereTheCallWentAndWhatCameBack() {
        String where = AwsFailures.where("Glue", "eu-west-1", null);

        assertThat(where).isEqualTo("Glue at AWS eu-west-1");
        assertThat(AwsFailures.where("S3", "us-east-1", URI.create("http://127.0.0.1:5000")))
                .isEqualTo("S3 at http://127.0.0.1:5000");
        assertThat(AwsFailures.reason(AwsErrors.glueAccessDenied(), where))
                .isEqualTo("access denied (AccessDeniedException)");
        assertThat(AwsFailures.reason(ApiCallTimeoutException.create(10_000), where))
                .isEqualTo("no answer from Glue at AWS eu-west-1 within 10 s");
        assertThat(AwsFailures.reason(AwsErrors.glueError(400, "UnrecognizedClientException"), where))
                .isEqualTo("AWS rejected the credentials (UnrecognizedClientException)");
    }
}
