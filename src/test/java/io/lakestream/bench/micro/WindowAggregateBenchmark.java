package io.lakestream.bench.micro;

import io.lakestream.config.AggregationConfig;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-record update of a window aggregate, as {@code WindowAggregateProcessor} does it for each window a record
 * falls in: read the group's accumulator bytes (a map stands in for the store's cache), decode, add the record
 * (count, sum, min, max, avg of the {@code claims_by_account} aggregation of {@code config/claims.yaml}), encode,
 * write back. 1,000 groups, as many accounts as the harness generates.
 *
 * <p>{@code aggregate.Accumulators} is package-private; it is reached through method handles
 * ({@link ClaimsFixture#method}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WindowAggregateBenchmark {

    private static final int DISTINCT = 1024;
    private static final MethodHandle NEW_ACCUMULATORS;
    private static final MethodHandle GROUP_KEY;
    private static final MethodHandle EMPTY;
    private static final MethodHandle ADD;
    private static final MethodHandle ENCODE;
    private static final MethodHandle DECODE;

    static {
        try {
            Class<?> type = Class.forName("io.lakestream.aggregate.Accumulators");
            NEW_ACCUMULATORS = ClaimsFixture.constructor(type, Schema.class, AggregationConfig.class);
            GROUP_KEY = ClaimsFixture.method(type, "groupKey",
                    MethodType.methodType(String.class, GenericRecord.class));
            EMPTY = ClaimsFixture.method(type, "empty",
                    MethodType.methodType(GenericRecord.class, GenericRecord.class));
            ADD = ClaimsFixture.method(type, "add",
                    MethodType.methodType(void.class, GenericRecord.class, GenericRecord.class));
            ENCODE = ClaimsFixture.method(type, "encode", MethodType.methodType(byte[].class, GenericRecord.class));
            DECODE = ClaimsFixture.method(type, "decode", MethodType.methodType(GenericRecord.class, byte[].class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Object accumulators;
    private GenericRecord[] records;
    private String[] groups;
    private final Map<String, byte[]> store = new HashMap<>();
    private int next;

    @Setup
    public void setUp() throws Throwable {
        ClaimsFixture claims = new ClaimsFixture();
        accumulators = NEW_ACCUMULATORS.invokeExact(claims.schema, claims.pipeline.aggregations().get(0));
        byte[][] raw = ClaimsFixture.rawClaims(DISTINCT, 200);
        records = new GenericRecord[DISTINCT];
        groups = new String[DISTINCT];
        for (int i = 0; i < DISTINCT; i++) {
            records[i] = claims.normalizedValue(raw[i]);
            groups[i] = (String) GROUP_KEY.invokeExact(accumulators, records[i]);
        }
    }

    /** One record into its group's accumulator of one window. */
    @Benchmark
    public int updateAccumulator() throws Throwable {
        int i = next++ & (DISTINCT - 1);
        GenericRecord value = records[i];
        byte[] current = store.get(groups[i]);
        GenericRecord acc = current == null ? (GenericRecord) EMPTY.invokeExact(accumulators, value)
                : (GenericRecord) DECODE.invokeExact(accumulators, current);
        ADD.invokeExact(accumulators, acc, value);
        byte[] encoded = (byte[]) ENCODE.invokeExact(accumulators, acc);
        store.put(groups[i], encoded);
        return encoded.length;
    }
}
