package io.lakestream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.MaintenanceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class IcebergBenchOptionsTest {

    @Test
    void shouldTakeTheDefaultsForMissingAndEmptyProperties() {
        Properties p = new Properties();
        // the bench profile forwards every property, empty unless given
        p.setProperty("bench.iceberg.rate", "");

        IcebergBenchOptions o = IcebergBenchOptions.from(p);

        assertThat(o.catalog()).isEqualTo("glue");
        assertThat(o.rate()).isEqualTo(1000);
        assertThat(o.duration()).isEqualTo(Duration.ofSeconds(270));
        assertThat(o.warmup()).isEqualTo(Duration.ofSeconds(60));
        assertThat(o.window()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.grace()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.commitInterval()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void shouldParseDurationsAsTheConfigWritesThemAndPrintThemBack() {
        Properties p = new Properties();
        p.setProperty("bench.iceberg.duration", "4m");
        p.setProperty("bench.iceberg.window", "1500ms");
        p.setProperty("bench.iceberg.commitInterval", "PT5S");
        p.setProperty("bench.iceberg.catalog", "local");

        IcebergBenchOptions o = IcebergBenchOptions.from(p);

        assertThat(o.duration()).isEqualTo(Duration.ofMinutes(4));
        assertThat(o.window()).isEqualTo(Duration.ofMillis(1500));
        assertThat(o.command()).contains("-Dbench.iceberg.catalog=local", "-Dbench.iceberg.duration=240s",
                "-Dbench.iceberg.window=1500ms", "-Dbench.iceberg.commitInterval=5s");
    }

    @Test
    void shouldLeaveEventTimeAndMaintenanceAsShippedByDefault() throws Exception {
        IcebergBenchOptions o = IcebergBenchOptions.from(new Properties());

        assertThat(o.eventTimeSpeed()).isEqualTo(1);
        assertThat(o.maintenanceYaml()).isNull();
        assertThat(o.command()).doesNotContain("eventTimeSpeed", "maintenance");
        assertThat(load(o).tableFormats().maintenance()).isEqualTo(MaintenanceConfig.DEFAULTS);
    }

    @Test
    void shouldRunEventTimeFasterAndMaintainAtTheGivenInterval() throws Exception {
        Properties p = new Properties();
        p.setProperty("bench.iceberg.eventTimeSpeed", "10");
        p.setProperty("bench.iceberg.maintenance", "1m");

        IcebergBenchOptions o = IcebergBenchOptions.from(p);

        assertThat(o.command()).contains("-Dbench.iceberg.eventTimeSpeed=10", "-Dbench.iceberg.maintenance=1m");
        MaintenanceConfig m = load(o).tableFormats().maintenance();
        assertThat(m.enabled()).isTrue();
        assertThat(m.interval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(m.targetFileSize()).isEqualTo(MaintenanceConfig.DEFAULTS.targetFileSize());

        p.setProperty("bench.iceberg.maintenance", "off");
        assertThat(load(IcebergBenchOptions.from(p)).tableFormats().maintenance().enabled()).isFalse();
    }

    private static LakestreamConfig load(IcebergBenchOptions o) throws Exception {
        Path work = Files.createTempDirectory("bench-config");
        return ConfigLoader.load(IcebergBenchConfig.render(o, work, "localhost:9092", null, "unused"));
    }

    @Test
    void shouldNameThePropertyOfAnInvalidValue() {
        Properties p = new Properties();
        p.setProperty("bench.iceberg.grace", "five");
        assertThatThrownBy(() -> IcebergBenchOptions.from(p)).hasMessage(
                "bench.iceberg.grace: 'five' is not a duration such as 30s, 500ms or 4m");

        Properties q = new Properties();
        q.setProperty("bench.iceberg.catalog", "hive");
        assertThatThrownBy(() -> IcebergBenchOptions.from(q)).hasMessage(
                "bench.iceberg.catalog: 'hive' is not glue or local");

        Properties r = new Properties();
        r.setProperty("bench.iceberg.warmup", "5m");
        assertThatThrownBy(() -> IcebergBenchOptions.from(r)).hasMessageStartingWith("bench.iceberg.warmup");

        Properties m = new Properties();
        m.setProperty("bench.iceberg.maintenance", "often");
        assertThatThrownBy(() -> IcebergBenchOptions.from(m)).hasMessage(
                "bench.iceberg.maintenance: 'often' is not a duration such as 30s, 500ms or 4m");

        Properties v = new Properties();
        v.setProperty("bench.iceberg.eventTimeSpeed", "0");
        assertThatThrownBy(() -> IcebergBenchOptions.from(v)).hasMessage(
                "bench.iceberg.eventTimeSpeed: 0 is not a whole number of at least 1");
    }

    @Test
    void shouldReadTheWindowStartFromALandedObjectName() {
        assertThat(IcebergSnapshots.windowStart("s3://b/lakestream/claims/data/claim_ts_hour=2026-12-05-07/"
                + "1764918000000-onprem.claims.raw-3-41250.parquet")).isEqualTo(1764918000000L);
        assertThatThrownBy(() -> IcebergSnapshots.windowStart("/lake/claims/metadata/snap.avro"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(IcebergSnapshots.landed("/lake/claims/data/claim_ts_hour=2026-12-07-01/1796607600000-raw-2-33693"
                + ".parquet")).isTrue();
        assertThat(IcebergSnapshots.landed("/lake/claims/data/claim_ts_hour=2026-12-07-01/compacted-123-abc.parquet"))
                .isFalse();
    }

    @Test
    void shouldFailWhenTheShippedConfigNoLongerHasTheLineToReplace() {
        assertThat(IcebergBenchConfig.replaceOnce("a: 1\nb: 2\n", "b: 2", "b: 3")).isEqualTo("a: 1\nb: 3\n");
        assertThatThrownBy(() -> IcebergBenchConfig.replaceOnce("a: 1\n", "b: 2", "b: 3"))
                .hasMessageContaining("expected 'b: 2' exactly once");
        assertThatThrownBy(() -> IcebergBenchConfig.replaceOnce("b: 2\nb: 2\n", "b: 2", "b: 3"))
                .hasMessageContaining("exactly once");
    }
}
