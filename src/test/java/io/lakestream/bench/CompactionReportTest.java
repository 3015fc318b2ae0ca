package io.lakestream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.bench.CompactionReadBack.Figures;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class CompactionReportTest {

    private static final long ROWS = 2_000_000;
    private static final List<Map<String, Object>> TOP = List.of(Map.of("account_id", "A-042", "claims", 2000L,
            "amount", new BigDecimal("100500.25")));

    @Test
    void shouldFindNothingWhenEveryOffsetIsThereOnceAndThePartitionsAreCompacted() {
        assertThat(CompactionReport.problems(figures(Map.of("00", 144L, "01", 16L)), figures(Map.of("00", 1L,
                "01", 1L)), ROWS)).isEmpty();
    }

    @Test
    void shouldReportAPartitionWithMoreThanTwoFilesAfterMaintenance() {
        assertThat(CompactionReport.problems(figures(Map.of("00", 144L)), figures(Map.of("00", 3L)), ROWS))
                .singleElement().asString().startsWith("after: 3 data files in one partition, more than 2");
    }

    @Test
    void shouldReportAnAggregateThatChanged() {
        Figures after = new Figures(5, 1, 1, 1, partitions(Map.of("00", 1L)), 0, ROWS, 0, 0, 0, ROWS, ROWS,
                List.of(Map.of("account_id", "A-042", "claims", 2001L, "amount", new BigDecimal("100510.25"))), 1,
                List.of("f"));
        assertThat(CompactionReport.problems(figures(Map.of("00", 9L)), after, ROWS)).singleElement().asString()
                .startsWith("the aggregate query's result changed");
    }

    @Test
    void shouldReportDuplicatesMissingOffsetsAndADuckDbCountThatDiffers() {
        Figures before = new Figures(3, 160, 1, 1, partitions(Map.of("00", 160L)), 1, ROWS, 1, 1, 0, ROWS + 1,
                ROWS, TOP, 160, List.of("f"));
        assertThat(CompactionReport.problems(before, figures(Map.of("00", 1L)), ROWS)).containsExactly(
                "before: Iceberg's reader returned 2000000 rows of 2000000 expected: 1 duplicate, 1 missing, 0 "
                        + "unexpected source offsets",
                "before: DuckDB counted 2000001 rows, 2000000 distinct source offsets, of 2000000 expected",
                "before: 1 data file(s) listed twice in the current snapshot");
    }

    @Test
    void shouldPrintTheFiguresSideBySideWithTheVerdict() {
        MachineInfo machine = new MachineInfo(2, "AMD EPYC", 24105, "OpenJDK 17", "Linux", "abc1234",
                Instant.parse("2026-12-07T03:00:00Z"));
        CompactionReport.Run run = new CompactionReport.Run(ROWS, 0, 95.25, 20.0,
                List.of("table claims (iceberg): 2 rewrite(s): 160 file(s) (31000000 bytes) into 2"));
        CompactionReadBack.Timings t = new CompactionReadBack.Timings(717, 1464, 490, 302);
        String md = CompactionReport.markdown(machine, "mvn x", "before 1,2,3, after 4,5,6", run,
                figures(Map.of("00", 144L, "01", 16L)), figures(Map.of("00", 1L, "01", 1L)), t, List.of());
        assertThat(md).contains("`run --until-caught-up` (maintenance disabled): 95.3 s for 2,000,000 claims",
                "| data files per hour partition | 00: 144, 01: 16 | 00: 1, 01: 1 |", "| Parquet row groups | 160 | 2 |",
                "in turn) | 717 ms | 1464 ms |", "in turn) | 490 ms | 302 ms, same result |", "**ok**",
                "`table claims (iceberg): 2 rewrite(s)");
        assertThat(CompactionReport.markdown(machine, "mvn x", "", run, figures(Map.of("00", 9L)),
                figures(Map.of("00", 3L)), t, List.of("after: 3 data files"))).contains("Checks FAILED:\n* after: 3 data");
    }

    @Test
    void shouldSummarizeManyPartitionsAndFormatSizes() {
        Map<String, Long> many = new TreeMap<>();
        for (int h = 0; h < 10; h++) {
            many.put("%02d".formatted(h), h + 1L);
        }
        assertThat(CompactionReport.perPartition(figures(many))).isEqualTo("10 partitions, 1–10");
        assertThat(CompactionReport.size(200 * 1024)).isEqualTo("200.0 KiB");
        assertThat(CompactionReport.size(13 * 1024 * 1024 + 512 * 1024)).isEqualTo("13.5 MiB");
    }

    /** Every offset once, the same aggregate; files per partition keyed by hour as given. */
    private static Figures figures(Map<String, Long> filesPerHour) {
        Map<String, Long> p = partitions(filesPerHour);
        long files = p.values().stream().mapToLong(Long::longValue).sum();
        return new Figures(3, files, files * 1000, 1000, p, 0, ROWS, 0, 0, 0, ROWS, ROWS, TOP, files,
                List.of("f"));
    }

    private static Map<String, Long> partitions(Map<String, Long> filesPerHour) {
        Map<String, Long> p = new TreeMap<>();
        filesPerHour.forEach((hour, n) -> p.put("claim_ts_hour=2024-05-01-" + hour, n));
        return p;
    }
}
