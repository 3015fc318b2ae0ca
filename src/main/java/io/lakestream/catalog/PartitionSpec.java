package io.lakestream.catalog;

import java.util.List;

/**
 * @param values   partition values in partition-key order (unescaped)
 * @param location partition root, e.g. {@code s3://bucket/prefix/table/dt=2024-01-01/hour=00/}
 */
public record PartitionSpec(List<String> values, String location) {
}
