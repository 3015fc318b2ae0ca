package io.lakestream.config;

import java.net.URI;
import java.nio.file.Path;

/**
 * Where finished files land.
 *
 * @param store               {@code s3} or {@code local}
 * @param bucket              S3 bucket (s3)
 * @param prefix              key prefix under which every table lives, normalized to end with '/' or be empty
 * @param localDir            root folder (local), default {@code ./lake}
 * @param format              default file format for tables
 * @param compression         parquet codec: snappy (default), zstd, gzip, none
 * @param region              AWS region (s3)
 * @param endpoint            endpoint override (s3), or null
 * @param sse                 server-side encryption: none (default), s3, kms
 * @param kmsKeyId            KMS key for sse=kms
 * @param expectedBucketOwner account id sent as x-amz-expected-bucket-owner, or null
 * @param multipartThreshold  objects at or above this many bytes are uploaded in parts (default 16 MiB)
 */
public record LakeConfig(String store, String bucket, String prefix, Path localDir, FileFormat format,
                         String compression, String region, URI endpoint, String sse, String kmsKeyId,
                         String expectedBucketOwner, long multipartThreshold) {
}
