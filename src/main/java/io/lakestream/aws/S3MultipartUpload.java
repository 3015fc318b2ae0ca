package io.lakestream.aws;

import io.lakestream.config.LakeConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * One conditional multipart upload: the object becomes visible only on CompleteMultipartUpload, which carries
 * {@code If-None-Match: *}, so a key is never replaced. Any failure aborts the upload so no parts are left
 * behind to be billed.
 */
final class S3MultipartUpload {

    private static final Logger log = LoggerFactory.getLogger(S3MultipartUpload.class);

    private final S3Client s3;
    private final String bucket;
    private final S3ObjectStore.Options options;

    S3MultipartUpload(S3Client s3, String bucket, S3ObjectStore.Options options) {
        this.s3 = s3;
        this.bucket = bucket;
        this.options = options;
    }

    /** @throws S3Exception 412 when the key exists; the caller classifies it and every other failure */
    boolean createIfAbsent(String key, byte[] content, Map<String, String> metadata) {
        String owner = options.expectedBucketOwner();
        String uploadId = s3.createMultipartUpload(b -> {
            b.bucket(bucket).key(key).metadata(metadata).expectedBucketOwner(owner);
            S3ObjectStore.encryption(options, b::serverSideEncryption, b::ssekmsKeyId);
        }).uploadId();
        try {
            long partSize = Math.max(S3ObjectStore.MIN_PART_SIZE, options.multipartThreshold());
            List<CompletedPart> parts = new ArrayList<>();
            for (int offset = 0, number = 1; offset < content.length; offset += (int) partSize, number++) {
                byte[] part = Arrays.copyOfRange(content, offset, (int) Math.min(content.length, offset + partSize));
                int partNumber = number;
                String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                        .partNumber(partNumber).expectedBucketOwner(owner), RequestBody.fromBytes(part)).eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId).ifNoneMatch("*")
                    .expectedBucketOwner(owner).multipartUpload(m -> m.parts(parts)));
            log.debug("Completed multipart upload of {} in {} parts", LakeConfig.S3Settings.uri(bucket, key),
                    parts.size());
            return true;
        } catch (RuntimeException e) {
            abort(key, uploadId, e);
            throw e;
        }
    }

    private void abort(String key, String uploadId, RuntimeException cause) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .expectedBucketOwner(options.expectedBucketOwner()));
        } catch (RuntimeException e) {
            // The original failure matters more; a bucket lifecycle rule should clean up what is left.
            cause.addSuppressed(e);
            log.warn("Could not abort multipart upload {} of {}: {}", uploadId, LakeConfig.S3Settings.uri(bucket, key),
                    e.toString());
        }
    }
}
