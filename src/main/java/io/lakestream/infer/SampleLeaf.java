package io.lakestream.infer;

import java.util.List;

/**
 * One top-level field of a sample after flattening.
 *
 * @param segments   source keys from the root, used to derive the Avro name
 * @param sourcePath the path a pipeline's {@code fields:} mapping uses ({@code $.account.id} or a CSV column)
 * @param value      the value; never an object (objects are flattened into their leaves)
 */
record SampleLeaf(List<String> segments, String sourcePath, SampleValue value) {
}
