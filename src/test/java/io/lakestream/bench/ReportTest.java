package io.lakestream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReportTest {

    private static final long MIB = 1024 * 1024;
    private final VariantResult baseline = new VariantResult("baseline", 200, VariantResult.Status.OK, null, 100_000,
            20 * MIB, 2.0, -1, 300 * MIB, 40 * MIB, 500 * MIB, 120, 3_000, 1_000, -1);
    private final VariantResult eos = new VariantResult("eos-local", 200, VariantResult.Status.OK, null, 100_000,
            20 * MIB, 4.0, 800, 400 * MIB, 200 * MIB, 700 * MIB, 900, 7_000, -1, 1_500);
    private final VariantResult notRun = VariantResult.notRun("alos-s3", 200,
            "lakestream end-to-end run is wired by the lead");

    @Test
    void shouldPrintEveryFigureOfAMeasuredVariantOnOneLine() {
        assertThat(Report.line(baseline, Optional.of(baseline))).isEqualTo("BENCH variant=baseline size=200 status=ok "
                + "records=100000 seconds=2.000 rps=50000 mbps=10.00 ratio=1.00 objects=NA heap_peak_mb=300 "
                + "heap_live_mb=40 rss_peak_mb=500 gc_ms=120 cpu_s=3.0 jit_s=NA broker_cpu_s=1.0 cpu_us_per_record=40");
    }

    @Test
    void shouldGiveTheRatioToTheBaselineOfTheSameSize() {
        assertThat(Report.line(eos, Optional.of(baseline))).contains(" rps=25000 ", " ratio=0.50 ", " objects=800 ");
    }

    @Test
    void shouldPrintNotApplicableFiguresAndTheReasonForAVariantThatDidNotRun() {
        assertThat(Report.line(notRun, Optional.of(baseline))).isEqualTo("BENCH variant=alos-s3 size=200 "
                + "status=not-run records=NA seconds=NA rps=NA mbps=NA ratio=NA objects=NA heap_peak_mb=NA "
                + "heap_live_mb=NA rss_peak_mb=NA gc_ms=NA cpu_s=NA jit_s=NA broker_cpu_s=NA cpu_us_per_record=NA "
                + "reason=\"lakestream end-to-end run is wired by the lead\"");
    }

    @Test
    void shouldWriteAMarkdownRowPerResultUnderTheMachineAndCommand() {
        MachineInfo machine = new MachineInfo(2, "Test CPU", 4096, "JVM 17", "Linux", "abc1234",
                Instant.parse("2026-01-02T03:04:05Z"));
        VariantResult otherSize = new VariantResult("eos-local", 1000, VariantResult.Status.OK, null, 10, 10_000,
                1.0, 1, 1, 1, 1, 1, 1, 1, 1);
        String md = Report.markdown(machine, "mvn -B -Pbench test", List.of(baseline, eos, notRun, otherSize));
        assertThat(md).contains("- date: 2026-01-02T03:04:05Z", "nproc=2, CPU Test CPU", "`mvn -B -Pbench test`")
                .contains("| 200 | baseline | ok | 100000 | 2.00 | 50000 | 1 | – | 10.00 | 1.00 | – | 300 | 40 | 500 | 120 "
                        + "| 3.0 | – | 1.0 | 40 |")
                .contains("| 200 | eos-local | ok | 100000 | 4.00 | 25000 | 1 | – | 5.00 | 0.50 | 800 | 400 | 200 | 700 "
                        + "| 900 | 7.0 | 1.5 | – | – |")
                .contains("| 200 | alos-s3 | not-run: lakestream end-to-end run is wired by the lead | – |")
                // no baseline of size 1000 in this run: no ratio rather than one against another size
                .contains("| 1000 | eos-local | ok | 10 | 1.00 | 10 | 1 | – | 0.01 | – |");
    }

    private static VariantResult run(String variant, double seconds) {
        return new VariantResult(variant, 200, VariantResult.Status.OK, null, 100_000, 20 * MIB, seconds, 800,
                1, 1, 1, 1, 1, 1, 1);
    }

    @Test
    void shouldShowTheMedianRunOfEachVariantWithTheSpreadOfItsRuns() {
        List<VariantResult> runs = List.of(run("baseline", 2.0), run("eos-local", 5.0), run("baseline", 1.0),
                run("eos-local", 4.0), run("baseline", 4.0), run("eos-local", 10.0));
        List<Report.Row> rows = Report.rows(runs);
        assertThat(rows).extracting(r -> r.result().variant()).containsExactly("baseline", "eos-local");
        assertThat(rows.get(0).result().seconds()).isEqualTo(2.0);
        assertThat(rows.get(1).result().seconds()).isEqualTo(5.0);
        assertThat(rows.get(1).runs()).isEqualTo(3);
        assertThat(rows.get(1).minRps()).isEqualTo(10_000.0);
        assertThat(rows.get(1).maxRps()).isEqualTo(25_000.0);
        MachineInfo machine = new MachineInfo(2, "Test CPU", 4096, "JVM 17", "Linux", "abc1234",
                Instant.parse("2026-01-02T03:04:05Z"));
        // the ratio is median to median: 20,000 / 50,000
        assertThat(Report.markdown(machine, "mvn", runs)).contains("| 200 | eos-local | ok | 100000 | 5.00 | 20000 | 3 "
                + "| 10000–25000 | 4.00 | 0.40 |");
    }

    @Test
    void shouldShowAFailedRunRatherThanTheMedianOfTheOthers() {
        VariantResult failed = run("eos-local", 3.0).withStatus(VariantResult.Status.FAILED, "999 records landed");
        List<Report.Row> rows = Report.rows(List.of(run("eos-local", 5.0), failed, run("eos-local", 4.0)));
        assertThat(rows).singleElement().satisfies(r -> assertThat(r.result()).isEqualTo(failed));
    }

    @Test
    void shouldCarryAResultFromTheVariantJvmUnchanged() {
        VariantResult failed = VariantResult.failed("eos-s3", 1000, "java.lang.IllegalStateException: boom at x=1");
        assertThat(VariantResult.fromWire(eos.toWire())).isEqualTo(eos);
        // the broker's CPU travels when the variant measured it (around its measured pass, after warm-up passes)
        assertThat(VariantResult.fromWire(eos.withBrokerCpu(500).toWire())).isEqualTo(eos.withBrokerCpu(500));
        assertThat(VariantResult.fromWire(notRun.toWire())).isEqualTo(notRun);
        assertThat(VariantResult.fromWire(failed.toWire())).isEqualTo(failed);
    }
}
