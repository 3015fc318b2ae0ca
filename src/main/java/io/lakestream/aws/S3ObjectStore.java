package io.lakestream.aws;

import io.lakestream.config.LakeConfig;
import io.lakestream.port.ObjectStore;
import io.lakestream.port.ObjectStoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * {@link ObjectStore} on an S3 bucket. The client is injected (built by {@link AwsClients}) and owned by this
 * store: {@link #close()} closes it.
 *
 * <p>Throttling, 5xx and connection errors are retried by the SDK (standard retry mode) before they surface
 * here as {@link ObjectStoreException}; access-denied and missing-bucket errors are not retried, because no
 * retry fixes them, and their message says what to change.
 *
 * <p>S3 returns user-metadata keys in lower case: use lower-case keys with US-ASCII values.
 */
public final class S3ObjectStore implements ObjectStore {

    private static final Logger log = LoggerFactory.getLogger(S3ObjectStore.class);
    /** Every part but the last must be at least this large (S3 rule). */
    static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    private static final int CONFLICT_ATTEMPTS = 5;
    private static final long CONFLICT_BACKOFF_MILLIS = 200;

    /**
     * @param sse                 server-side encryption: {@code none}, {@code s3} (SSE-S3) or {@code kms} (SSE-KMS)
     * @param kmsKeyId            KMS key for {@code kms}, or null for the account's default aws/s3 key
     * @param expectedBucketOwner account id sent with every request, or null
     * @param multipartThreshold  objects at or above this many bytes are uploaded in parts
     */
    public record Options(String sse, String kmsKeyId, String expectedBucketOwner, long multipartThreshold) {
        public Options {
            sse = sse == null ? "none" : sse;
            if (!List.of("none", "s3", "kms").contains(sse)) {
                throw new IllegalArgumentException("sse must be none, s3 or kms, not '" + sse + "'");
            }
            if (multipartThreshold <= 0) {
                throw new IllegalArgumentException("multipartThreshold must be positive: " + multipartThreshold);
            }
        }

        public static Options defaults() {
            return new Options("none", null, null, 16L * 1024 * 1024);
        }

        public static Options from(LakeConfig.S3Settings s3) {
            return new Options(s3.sse(), s3.kmsKeyId(), s3.expectedBucketOwner(), s3.multipartThreshold());
        }
    }

    private final S3Client s3;
    private final String bucket;
    private final Options options;
    private final S3Errors errors;

    public S3ObjectStore(S3Client s3, String bucket, Options options) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.options = Objects.requireNonNull(options, "options");
        this.errors = new S3Errors(bucket, options.expectedBucketOwner());
    }

    /** The store {@code lake} describes ({@code lake.store = s3}), with a client from the default chain. */
    public static S3ObjectStore from(LakeConfig lake) {
        LakeConfig.S3Settings s3 = lake.s3();
        return new S3ObjectStore(AwsClients.of(s3.region(), s3.endpoint()).s3(), s3.bucket(), Options.from(s3));
    }

    @Override
    public boolean createIfAbsent(String key, byte[] content, Map<String, String> metadata) {
        for (int attempt = 1; ; attempt++) {
            try {
                boolean created = content.length >= options.multipartThreshold()
                        ? uploadIfAbsent(key, content, metadata)
                        : putIfAbsent(key, content, metadata);
                log.debug("{} {}", created ? "Created" : "Already exists:", uri(key));
                return created;
            } catch (S3Exception e) {
                if (S3Errors.isPreconditionFailed(e)) {
                    log.debug("Already exists: {}", uri(key));
                    return false;
                }
                if (!S3Errors.isConditionalConflict(e)) {
                    throw errors.failure("write", key, e);
                }
                // 409: another writer's conditional request on this key is in flight. Its outcome decides ours.
                if (attempt == CONFLICT_ATTEMPTS) {
                    throw new ObjectStoreException("another writer kept a conditional write to " + uri(key)
                            + " in flight through " + attempt + " attempts; retry the flush later", e);
                }
                log.warn("Conditional write conflict on {} (attempt {}), retrying", uri(key), attempt);
                sleep(CONFLICT_BACKOFF_MILLIS * attempt);
            } catch (SdkException e) {
                throw errors.failure("write", key, e);
            }
        }
    }

    private boolean putIfAbsent(String key, byte[] content, Map<String, String> metadata) {
        s3.putObject(b -> {
            b.bucket(bucket).key(key).ifNoneMatch("*").metadata(metadata)
                    .expectedBucketOwner(options.expectedBucketOwner());
            encryption(options, b::serverSideEncryption, b::ssekmsKeyId);
        }, RequestBody.fromBytes(content));
        return true;
    }

    private boolean uploadIfAbsent(String key, byte[] content, Map<String, String> metadata) {
        // A replay usually finds the object there: one HEAD saves uploading every part just to be refused.
        if (metadata(key).isPresent()) {
            return false;
        }
        return new S3MultipartUpload(s3, bucket, options).createIfAbsent(key, content, metadata);
    }

    static void encryption(Options options, java.util.function.Consumer<ServerSideEncryption> sse,
                           java.util.function.Consumer<String> kmsKey) {
        switch (options.sse()) {
            case "s3" -> sse.accept(ServerSideEncryption.AES256);
            case "kms" -> {
                sse.accept(ServerSideEncryption.AWS_KMS);
                kmsKey.accept(options.kmsKeyId());
            }
            default -> { }
        }
    }

    @Override
    public Optional<Map<String, String>> metadata(String key) {
        try {
            return Optional.of(Map.copyOf(s3.headObject(b -> b.bucket(bucket).key(key)
                    .expectedBucketOwner(options.expectedBucketOwner())).metadata()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            // HEAD responses have no body, so a missing key is a bare 404 without an error code.
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw errors.failure("head", key, e);
        } catch (SdkException e) {
            throw errors.failure("head", key, e);
        }
    }

    @Override
    public long size(String key) {
        try {
            return s3.headObject(b -> b.bucket(bucket).key(key).expectedBucketOwner(options.expectedBucketOwner()))
                    .contentLength();
        } catch (SdkException e) {
            throw errors.failure("head", key, e);
        }
    }

    @Override
    public byte[] read(String key) {
        try {
            return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)
                    .expectedBucketOwner(options.expectedBucketOwner())).asByteArray();
        } catch (SdkException e) {
            throw errors.failure("read", key, e);
        }
    }

    @Override
    public List<String> list(String prefix) {
        try {
            List<String> keys = new ArrayList<>();
            // S3 returns keys in UTF-8 binary order, page after page.
            s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)
                            .expectedBucketOwner(options.expectedBucketOwner()))
                    .contents().stream().map(S3Object::key).forEach(keys::add);
            return keys;
        } catch (SdkException e) {
            throw errors.failure("list", prefix, e);
        }
    }

    @Override
    public void delete(String key) {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key).expectedBucketOwner(options.expectedBucketOwner()));
        } catch (SdkException e) {
            throw errors.failure("delete", key, e);
        }
    }

    @Override
    public String uri(String key) {
        return LakeConfig.S3Settings.uri(bucket, key);
    }

    @Override
    public void close() {
        s3.close();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ObjectStoreException("interrupted while waiting to retry", e);
        }
    }
}
