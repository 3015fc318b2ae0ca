package io.lakestream.bench.micro;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Raw claim JSON bytes → typed Avro record, business key and event time: the normalize stage's per-record work, by the
 * fast path (tokens straight into the record) and by the JSON tree it falls back to, side by side in one run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NormalizeBenchmark {

    private static final int DISTINCT = 1024;

    @Param({"200", "1000"})
    int recordSize;

    @Param({"fast", "tree"})
    String path;

    private ClaimsFixture claims;
    private byte[][] raw;
    private int next;

    @Setup
    public void setUp() {
        claims = new ClaimsFixture("fast".equals(path));
        raw = ClaimsFixture.rawClaims(DISTINCT, recordSize);
        // A record the pipeline rejects would benchmark the dead-letter path instead: fail fast.
        for (byte[] r : raw) {
            claims.normalize(r);
        }
    }

    @Benchmark
    public Object normalizeJsonToAvro() {
        byte[] value = raw[next];
        next = (next + 1) & (DISTINCT - 1);
        return claims.normalize(value);
    }
}
