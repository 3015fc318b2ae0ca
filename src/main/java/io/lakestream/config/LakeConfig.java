package io.lakestream.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where finished files land.
 *
 * @param store       where objects are kept: an S3 bucket or a local folder
 * @param prefix      key prefix under which every table lives, normalized to end with '/' or be empty
 * @param localDir    root folder (local), default {@code ./lake}
 * @param format      default file format for tables
 * @param compression parquet codec: snappy (default), zstd, gzip, none
 * @param s3          the bucket and how to reach it (store s3; read by the Iceberg catalog's file IO too)
 */
public record LakeConfig(Store store, String prefix, Path localDir, FileFormat format, String compression,
                         S3Settings s3) {

    /** The kinds of object store; the config spelling ({@code lake.store}) is the lower-case name. */
    public enum Store {
        S3, LOCAL;

        /** The config spelling. */
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param bucket              S3 bucket
     * @param region              AWS region
     * @param endpoint            endpoint override, or null
     * @param sse                 server-side encryption: none (default), s3, kms
     * @param kmsKeyId            KMS key for sse=kms
     * @param expectedBucketOwner account id sent as x-amz-expected-bucket-owner, or null
     * @param multipartThreshold  objects at or above this many bytes are uploaded in parts (default 16 MiB)
     */
    public record S3Settings(String bucket, String region, URI endpoint, String sse, String kmsKeyId,
                             String expectedBucketOwner, long multipartThreshold) {

        /** The {@code s3://} URI of {@code key} in this bucket. */
        public String uri(String key) {
            return uri(bucket, key);
        }

        /** The {@code s3://} URI of {@code key} in {@code bucket}: the one place an S3 location is spelled. */
        public static String uri(String bucket, String key) {
            return "s3://" + bucket + "/" + key;
        }
    }
}
