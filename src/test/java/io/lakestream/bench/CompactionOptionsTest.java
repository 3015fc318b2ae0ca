package io.lakestream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class CompactionOptionsTest {

    @Test
    void shouldDefaultToTwoMillionClaimsOverFortyWindows() {
        Properties p = new Properties();
        p.setProperty("bench.compaction.records", "");
        CompactionOptions o = CompactionOptions.from(p);
        assertThat(o.records()).isEqualTo(2_000_000);
        assertThat(o.windows()).isEqualTo(40);
        assertThat(o.partitions()).isEqualTo(4);
        assertThat(o.command()).contains("CompactionBenchmark -Dbench.compaction.records=2000000")
                .doesNotContain("rowGroupSize");
        p.setProperty("bench.compaction.rowGroupSize", "128MiB");
        assertThat(CompactionOptions.from(p).command()).endsWith(" -Dbench.compaction.rowGroupSize=128MiB");
        p.setProperty("bench.compaction.windows", "0");
        assertThatThrownBy(() -> CompactionOptions.from(p)).hasMessageContaining("must be positive");
    }
}
