package io.lakestream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void shouldDefaultToTheFullRun() {
        BenchOptions o = BenchOptions.from(new Properties());
        assertThat(o.records()).isEqualTo(200_000);
        assertThat(o.recordSizes()).containsExactly(200, 1000);
        assertThat(o.variants()).containsExactly(Variant.values());
        assertThat(o.partitions()).isEqualTo(4);
        assertThat(o.repeat()).isEqualTo(1);
        assertThat(o.command()).contains("-Dbench.windows=200").doesNotContain("bench.repeat");
        assertThat(o.variantHeap()).isEqualTo("512m");
        assertThat(o.outDir()).isEqualTo(Path.of("target/bench"));
        assertThat(o.needsS3()).isTrue();
    }

    @Test
    void shouldRunTheBaselineFirstWhateverTheOrderGiven() {
        Properties p = new Properties();
        p.setProperty("bench.variants", "alos-local, eos-local,baseline,eos-local");
        p.setProperty("bench.recordSize", "1000|200");
        BenchOptions o = BenchOptions.from(p);
        assertThat(o.variants()).containsExactly(Variant.BASELINE, Variant.ALOS_LOCAL, Variant.EOS_LOCAL);
        assertThat(o.recordSizes()).isEqualTo(List.of(1000, 200));
        assertThat(o.needsS3()).isFalse();
        assertThat(o.command())
                .contains("-Dbench.variants=baseline,alos-local,eos-local", "-Dbench.recordSize=1000,200");
    }

    @Test
    void shouldNameTheKnownVariantsWhenOneIsUnknown() {
        Properties p = new Properties();
        p.setProperty("bench.variants", "baseline,eos");
        assertThatThrownBy(() -> BenchOptions.from(p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown variant 'eos'; known: baseline, eos-local, eos-s3, alos-local, alos-s3, "
                        + "eos-local-records, alos-local-records, eos-local-expr, eos-iceberg-records, eos-iceberg");
    }

    @Test
    void shouldParseTheIcebergVariants() {
        Properties p = new Properties();
        p.setProperty("bench.variants", "eos-local-records,eos-iceberg-records,eos-iceberg");
        BenchOptions o = BenchOptions.from(p);
        assertThat(o.variants()).containsExactly(Variant.EOS_LOCAL_RECORDS, Variant.EOS_ICEBERG_RECORDS,
                Variant.EOS_ICEBERG);
        assertThat(o.variants()).extracting(Variant::iceberg).containsExactly(false, true, true);
        assertThat(o.variants()).extracting(Variant::aggregates).containsExactly(false, false, true);
        assertThat(o.variants()).extracting(Variant::guarantee).containsOnly(Variant.Guarantee.EXACTLY_ONCE);
        assertThat(o.needsS3()).isFalse();
    }

    @Test
    void shouldSayInTheCommandHowOftenEachVariantRan() {
        Properties p = new Properties();
        p.setProperty("bench.repeat", "3");
        p.setProperty("bench.windows", "20");
        assertThat(BenchOptions.from(p).command()).contains("-Dbench.windows=20 -Dbench.repeat=3");
        p.setProperty("bench.repeat", "0");
        assertThatThrownBy(() -> BenchOptions.from(p)).hasMessageContaining("bench.repeat");
    }

    @Test
    void shouldRunColdUnlessWarmUpPassesAreAskedForAndSaySoInTheCommand() {
        Properties p = new Properties();
        assertThat(BenchOptions.from(p).warmup()).isZero();
        assertThat(BenchOptions.from(p).command()).doesNotContain("bench.warmup");
        p.setProperty("bench.warmup", "1");
        assertThat(BenchOptions.from(p).warmup()).isEqualTo(1);
        assertThat(BenchOptions.from(p).command()).endsWith(" -Dbench.warmup=1");
        p.setProperty("bench.warmup", "-1");
        assertThatThrownBy(() -> BenchOptions.from(p)).hasMessageContaining("bench.warmup");
    }

    @Test
    void shouldRejectANonPositiveRecordCount() {
        Properties p = new Properties();
        p.setProperty("bench.records", "0");
        assertThatThrownBy(() -> BenchOptions.from(p)).hasMessageContaining("bench.records");
    }
}
