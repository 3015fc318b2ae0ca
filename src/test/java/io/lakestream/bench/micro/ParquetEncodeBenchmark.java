package io.lakestream.bench.micro;

import io.lakestream.config.FileFormat;
import io.lakestream.registry.InMemoryRegistry;
import io.lakestream.sink.format.BinaryRow;
import io.lakestream.sink.format.FormatWriter;
import io.lakestream.sink.format.InMemoryOutputFile;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
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
 *
 * <p>{@code landDecodedX} and {@code landBinaryX} start where landing starts, from the buffered wire bytes of the
 * records and their lineage, and write the table (data fields plus lineage columns): the first decodes each record
 * with the registry deserializer, copies it into a table row and writes through parquet-avro (the path for groups
 * that mix schema versions); the second writes from the Avro binary (the path of a group in one schema version).
 * {@code sink.TableSchemas} and {@code sink.BufferCodec.Entry} are package-private, reached through method handles
 * as in {@link ClaimsFixture}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ParquetEncodeBenchmark {

    static final int SMALL_OBJECT = 250;
    static final int LARGE_OBJECT = 10_000;
    private static final int DISTINCT = 1024;

    private static final String TOPIC = "claims.normalized";
    private static final MethodHandle NEW_ENTRY;
    private static final MethodHandle BUILD_TABLE;
    private static final MethodHandle ROW;
    private static final MethodHandle BINARY_ROW;
    private static final MethodHandle WIRE;

    static {
        try {
            Class<?> schemas = Class.forName("io.lakestream.sink.TableSchemas");
            Class<?> entry = Class.forName("io.lakestream.sink.BufferCodec$Entry");
            NEW_ENTRY = ClaimsFixture.constructor(entry, long.class, String.class, int.class, long.class, long.class,
                    long.class, boolean.class, long.class, byte[].class);
            BUILD_TABLE = ClaimsFixture.staticMethod(schemas, "build", MethodType.methodType(Schema.class, Schema.class));
            ROW = ClaimsFixture.staticMethod(schemas, "row",
                    MethodType.methodType(GenericRecord.class, Schema.class, Schema.class, GenericRecord.class, entry));
            WIRE = ClaimsFixture.method(entry, "wire", MethodType.methodType(byte[].class));
            BINARY_ROW = ClaimsFixture.staticMethod(schemas, "binaryRow", MethodType.methodType(BinaryRow.class, entry));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Param({"SNAPPY", "ZSTD"})
    String compression;

    private ClaimsFixture claims;
    private GenericRecord[] records;
    private final InMemoryOutputFile file = new InMemoryOutputFile();
    private final Configuration sharedConf = new Configuration();
    private FormatWriter sinkWriter;
    private java.util.List<GenericRecord> largeObject;
    private Deserializer<GenericRecord> deserializer;
    private Schema table;
    private Object[] entries;

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
        InMemoryRegistry registry = new InMemoryRegistry();
        deserializer = registry.deserializer();
        Serializer<GenericRecord> serializer = registry.serializer();
        entries = new Object[LARGE_OBJECT];
        try {
            table = (Schema) BUILD_TABLE.invokeExact(claims.schema);
            for (int i = 0; i < LARGE_OBJECT; i++) {
                byte[] wire = serializer.serialize(TOPIC, records[i & (DISTINCT - 1)]);
                entries[i] = NEW_ENTRY.invoke(0L, TOPIC, 0, (long) i, 1_700_000_000_000L + i, 1_700_000_000_000L + i,
                        false, 0L, wire);
            }
        } catch (Throwable t) {
            throw new IllegalStateException("cannot build the buffered entries", t);
        }
        if (!sinkWriter.writesBinary(table, claims.schema)) {
            throw new IllegalStateException("the claims table is not written from Avro binary");
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

    @Benchmark
    @OperationsPerInvocation(SMALL_OBJECT)
    public int landDecodedSmallObject() throws Throwable {
        return landDecoded(SMALL_OBJECT);
    }

    @Benchmark
    @OperationsPerInvocation(LARGE_OBJECT)
    public int landDecodedLargeObject() throws Throwable {
        return landDecoded(LARGE_OBJECT);
    }

    @Benchmark
    @OperationsPerInvocation(SMALL_OBJECT)
    public int landBinarySmallObject() throws Throwable {
        return landBinary(SMALL_OBJECT);
    }

    @Benchmark
    @OperationsPerInvocation(LARGE_OBJECT)
    public int landBinaryLargeObject() throws Throwable {
        return landBinary(LARGE_OBJECT);
    }

    private int landDecoded(int count) throws Throwable {
        java.util.List<GenericRecord> rows = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Object e = entries[i];
            GenericRecord value = deserializer.deserialize(TOPIC, (byte[]) WIRE.invokeExact(e));
            rows.add((GenericRecord) ROW.invokeExact(table, claims.schema, value, e));
        }
        return sinkWriter.writeFile(table, rows).content().length;
    }

    private int landBinary(int count) throws Throwable {
        java.util.List<BinaryRow> rows = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            rows.add((BinaryRow) BINARY_ROW.invokeExact(entries[i]));
        }
        return sinkWriter.writeBinary(table, claims.schema, rows).content().length;
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
