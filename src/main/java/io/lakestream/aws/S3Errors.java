package io.lakestream.aws;

import io.lakestream.config.LakeConfig;
import io.lakestream.port.ObjectStoreException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Turns S3 failures into {@link ObjectStoreException}s whose message says what to fix. */
final class S3Errors {

    private final String bucket;
    private final String expectedBucketOwner;

    S3Errors(String bucket, String expectedBucketOwner) {
        this.bucket = bucket;
        this.expectedBucketOwner = expectedBucketOwner;
    }

    static boolean isPreconditionFailed(S3Exception e) {
        return e.statusCode() == 412;
    }

    /** 409 ConditionalRequestConflict: a concurrent conditional write to the same key is in progress. */
    static boolean isConditionalConflict(S3Exception e) {
        return e.statusCode() == 409 && "ConditionalRequestConflict".equals(errorCode(e));
    }

    ObjectStoreException failure(String op, String key, SdkException e) {
        String where = LakeConfig.S3Settings.uri(bucket, key);
        if (e instanceof NoSuchBucketException || (e instanceof S3Exception s3e
                && "NoSuchBucket".equals(errorCode(s3e)))) {
            return new ObjectStoreException("bucket '" + bucket + "' does not exist: create it or fix lake.bucket", e);
        }
        if (e instanceof S3Exception s3e && s3e.statusCode() == 403) {
            String owner = expectedBucketOwner == null ? ""
                    : ", and that bucket '" + bucket + "' belongs to account " + expectedBucketOwner
                    + " (lake.expected-bucket-owner)";
            return new ObjectStoreException("access denied (" + errorCode(s3e) + ") on " + op + " of " + where
                    + ": check that the credentials in use may s3:PutObject, s3:GetObject and s3:ListBucket on"
                    + " bucket '" + bucket + "' (and kms:GenerateDataKey on lake.kms-key-id with sse=kms)" + owner,
                    e);
        }
        if (e instanceof SdkClientException) {
            return new ObjectStoreException("cannot reach S3 for " + op + " of " + where
                    + " after retries: " + e.getMessage() + " (check lake.endpoint, lake.region and the network)", e);
        }
        return new ObjectStoreException("S3 " + op + " of " + where + " failed after retries: " + e.getMessage(), e);
    }

    private static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }
}
