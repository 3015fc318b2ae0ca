package io.lakestream.bench.micro;

import io.lakestream.config.FileFormat;
import io.lakestream.sink.format.FormatWriter;
import io.lakestream.sink.format.InMemoryOutputFile;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Parquet encoding cost per record: one object of normalized claims written through parquet-avro's
 * {@code AvroParquetWriter} to memory, writer setup, footer and compression included, divided by its records.
 * Two object sizes: {@value #SMALL_OBJECT} records is what one (partition, 100 s window) holds at the harness's
 * defaults (200,000 records, 4 partitions, 200 windows), where the per-object cost shows; {@value #LARGE_OBJECT} is
 * the steady-state encoding cost. {@code writeX} is the raw library path, {@code sinkWriterX} the sink's own
 * writer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ParquetEncodeBenchmark {

    static final int SMALL_OBJECT = 250;
    static final int LARGE_OBJECT = 10_000;
    private static final int DISTINCT = 1024;

    @Param({"SNAPPY", "ZSTD"})
    String compression;

    private ClaimsFixture claims;
    private GenericRecord[] records;
    private final InMemoryOutputFile file = new InMemoryOutputFile();
    private final Configuration sharedConf = new Configuration();
    private FormatWriter sinkWriter;
    private java.util.List<GenericRecord> largeObject;

    @Setup
    public void setUp() {
        claims = new ClaimsFixture();
        byte[][] raw = ClaimsFixture.rawClaims(DISTINCT, 200);
        records = new GenericRecord[DISTINCT];
        for (int i = 0; i < DISTINCT; i++) {
            records[i] = claims.normalizedValue(raw[i]);
        }
        sinkWriter = FormatWriter.of(FileFormat.PARQUET, compression);
        largeObject = new java.util.ArrayList<>(LARGE_OBJECT);
        for (int i = 0; i < LARGE_OBJECT; i++) {
            largeObject.add(records[i & (DISTINCT - 1)]);
        }
    }

    @Benchmark
    @OperationsPerInvocation(SMALL_OBJECT)
    public int writeSmallObject() throws IOException {
        return writeObject(SMALL_OBJECT, new Configuration());
    }

    /** As {@link #writeSmallObject()} but with one Hadoop Configuration for all writers, as a sink could keep. */
    @Benchmark
    @OperationsPerInvocation(SMALL_OBJECT)
    public int writeSmallObjectSharedConf() throws IOException {
        return writeObject(SMALL_OBJECT, sharedConf);
    }

    @Benchmark
    @OperationsPerInvocation(LARGE_OBJECT)
    public int writeLargeObject() throws IOException {
        return writeObject(LARGE_OBJECT, new Configuration());
    }

    /** The sink's own writer ({@code FormatWriter} for Parquet: plain configuration, no Hadoop file system). */
    @Benchmark
    @OperationsPerInvocation(SMALL_OBJECT)
    public int sinkWriterSmallObject() {
        return sinkWriter.write(claims.schema, java.util.Arrays.asList(records).subList(0, SMALL_OBJECT)).length;
    }

    @Benchmark
    @OperationsPerInvocation(LARGE_OBJECT)
    public int sinkWriterLargeObject() {
        return sinkWriter.write(claims.schema, largeObject).length;
    }

    private int writeObject(int count, Configuration conf) throws IOException {
        try (ParquetWriter<GenericRecord> writer = AvroParquetWriter.<GenericRecord>builder(file)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE) // reuses the one in-memory file
                .withConf(conf)
                .withSchema(claims.schema)
                .withCompressionCodec(CompressionCodecName.valueOf(compression))
                .build()) {
            for (int i = 0; i < count; i++) {
                writer.write(records[i & (DISTINCT - 1)]);
            }
        }
        return file.size();
    }
}
