package io.lakestream.sink.format;

import org.apache.parquet.hadoop.metadata.ParquetMetadata;

/**
 * The bytes of one written object and, for Parquet, the footer the writer wrote into them (null for the other
 * formats), so that its metrics need not be read back from the store.
 */
public record WrittenFile(byte[] content, ParquetMetadata footer) {
}
