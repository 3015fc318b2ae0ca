package io.lakestream.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class IamActionsTest {

    private static final String S3_AUTH = "AWS4-HMAC-SHA256 Credential=testing/20261206/us-east-1/s3/aws4_request, "
            + "SignedHeaders=host, Signature=0";
    private static final String GLUE_AUTH = S3_AUTH.replace("/s3/", "/glue/");

    private static String s3(String method, String pathAndQuery) {
        return "{\"method\": \"" + method + "\", \"url\": \"http://127.0.0.1:5000" + pathAndQuery
                + "\", \"headers\": {\"Authorization\": \"" + S3_AUTH + "\"}}";
    }

    @Test
    void shouldMapObjectRequestsToObjectActionsWithTheirKey() {
        assertThat(IamActions.use(s3("PUT", "/lake/lakestream/claims/dt%3D2024-05-01/a.parquet")))
                .isEqualTo(new IamActions.Use("s3:PutObject", "lake", "lakestream/claims/dt=2024-05-01/a.parquet"));
        assertThat(IamActions.use(s3("HEAD", "/lake/lakestream/x")).action()).isEqualTo("s3:GetObject");
        assertThat(IamActions.use(s3("GET", "/lake/lakestream/x")).action()).isEqualTo("s3:GetObject");
        assertThat(IamActions.use(s3("DELETE", "/lake/lakestream/x")).action()).isEqualTo("s3:DeleteObject");
    }

    @Test
    void shouldMapMultipartStepsAsIamDoes() {
        assertThat(IamActions.actions(List.of(s3("POST", "/lake/lakestream/big?uploads"),
                s3("PUT", "/lake/lakestream/big?partNumber=1&uploadId=u1"),
                s3("POST", "/lake/lakestream/big?uploadId=u1")))).containsExactly("s3:PutObject");
        assertThat(IamActions.use(s3("DELETE", "/lake/lakestream/big?uploadId=u1")).action())
                .isEqualTo("s3:AbortMultipartUpload");
        assertThat(IamActions.use(s3("GET", "/lake/lakestream/big?uploadId=u1")).action())
                .isEqualTo("s3:ListMultipartUploadParts");
    }

    @Test
    void shouldMapBucketRequestsToListBucket() {
        assertThat(IamActions.use(s3("GET", "/lake?list-type=2&prefix=lakestream%2F")))
                .isEqualTo(new IamActions.Use("s3:ListBucket", "lake", ""));
        assertThat(IamActions.use(s3("HEAD", "/lake")).action()).isEqualTo("s3:ListBucket");
        assertThat(IamActions.use(s3("PUT", "/lake")).action()).isEqualTo("s3:CreateBucket");
    }

    @Test
    void shouldTakeGlueAndRegistryOperationsFromTheTargetHeader() {
        String request = "{\"method\": \"POST\", \"url\": \"http://127.0.0.1:5000/\", \"headers\": {\"authorization\": \""
                + GLUE_AUTH + "\", \"X-Amz-Target\": \"AWSGlue.GetSchemaByDefinition\"}}";
        assertThat(IamActions.use(request).action()).isEqualTo("glue:GetSchemaByDefinition");
    }

    @Test
    void shouldRefuseRequestsOfOtherServices() {
        String sts = "{\"method\": \"POST\", \"url\": \"http://127.0.0.1:5000/\", \"headers\": {\"Authorization\": \""
                + S3_AUTH.replace("/s3/", "/sts/") + "\"}}";
        assertThatThrownBy(() -> IamActions.use(sts)).hasMessageStartingWith("not an S3 or Glue request");
    }
}
