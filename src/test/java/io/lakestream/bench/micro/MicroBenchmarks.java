package io.lakestream.bench.micro;

import java.nio.file.Files;
import java.nio.file.Path;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH microbenchmarks with short defaults (a few minutes in all), options from system properties:
 * {@code bench.jmh.include} (regex), {@code bench.jmh.forks}, {@code bench.jmh.warmup} and
 * {@code bench.jmh.iterations} (counts), {@code bench.jmh.time} (per iteration, e.g. {@code 2s}),
 * {@code bench.jmh.gc=true} (JMH's GC profiler: allocated bytes per operation). Results also go to
 * {@code target/bench/jmh.json}.
 *
 * <p>Not measured yet: the window aggregate update ({@code aggregate} is not merged on this branch).
 */
public final class MicroBenchmarks {

    private MicroBenchmarks() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(System.getProperty("bench.out", "target/bench"));
        Files.createDirectories(out);
        ChainedOptionsBuilder builder = new OptionsBuilder()
                .include(System.getProperty("bench.jmh.include", "io.lakestream.bench.micro.*"))
                .forks(Integer.getInteger("bench.jmh.forks", 1))
                .warmupIterations(Integer.getInteger("bench.jmh.warmup", 3))
                .warmupTime(TimeValue.fromString(System.getProperty("bench.jmh.time", "2s")))
                .measurementIterations(Integer.getInteger("bench.jmh.iterations", 3))
                .measurementTime(TimeValue.fromString(System.getProperty("bench.jmh.time", "2s")))
                .jvmArgsAppend("-Xmx512m")
                .resultFormat(ResultFormatType.JSON)
                .result(out.resolve("jmh.json").toString());
        if (Boolean.getBoolean("bench.jmh.gc")) {
            builder.addProfiler(GCProfiler.class);
        }
        new Runner(builder.build()).run();
    }
}
