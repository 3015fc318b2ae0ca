package io.lakestream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LakeBenchmarkIT {

    @TempDir
    Path out;

    @Test
    void shouldMeasureTheBaselineAndReportUnwiredLakestreamVariantsAsNotRun() throws Exception {
        Properties p = new Properties();
        p.setProperty("bench.records", "3000");
        p.setProperty("bench.recordSize", "200");
        p.setProperty("bench.variants", "eos-local,baseline");
        p.setProperty("bench.windows", "5");
        p.setProperty("bench.out", out.toString());
        List<VariantResult> results = new LakeBenchmark(BenchOptions.from(p)).runAll();

        assertThat(results).extracting(VariantResult::variant).containsExactly("producer", "baseline", "eos-local");
        VariantResult baseline = results.get(1);
        assertThat(baseline.status()).isEqualTo(VariantResult.Status.OK);
        assertThat(baseline.records()).isEqualTo(3000);
        assertThat(baseline.payloadBytes()).isEqualTo(results.get(0).payloadBytes());
        assertThat(baseline.seconds()).isPositive();
        assertThat(baseline.heapPeakBytes()).isPositive();
        assertThat(baseline.rssPeakBytes()).isGreaterThan(baseline.heapLiveBytes());
        assertThat(results.get(2)).isEqualTo(VariantResult.notRun("eos-local", 200, NotWiredEndToEndRun.MESSAGE));
        assertThat(Files.readString(out.resolve("logs/200-baseline.log"))).contains(VariantResult.WIRE_PREFIX);
    }
}
