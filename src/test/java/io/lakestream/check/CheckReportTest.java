package io.lakestream.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.check.CheckResult.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckReportTest {

    @Test
    void shouldAlignTheColumnsAndPutEachHintUnderItsDetail() {
        List<CheckResult> results = List.of(
                CheckResult.ok("kafka", "cluster abc: 1 broker(s)"),
                CheckResult.fail("topic claims.raw", "topic claims.raw does not exist", "create it"),
                CheckResult.skipped("catalog", "catalog.type is none"));

        assertThat(CheckReport.render(results)).isEqualTo("""
                CHECK             STATUS   DETAIL
                kafka             OK       cluster abc: 1 broker(s)
                topic claims.raw  FAIL     topic claims.raw does not exist
                                           hint: create it
                catalog           SKIPPED  catalog.type is none
                1 OK, 1 FAIL, 1 SKIPPED
                """);
    }

    @Test
    void shouldKeepEachResultOnOneLineWhenADetailSpansLines() {
        String table = CheckReport.render(List.of(
                CheckResult.fail("store", "cannot reach S3:\n  Connection refused\n", "check\r\nlake.endpoint")));

        assertThat(table.lines()).containsExactly(
                "CHECK  STATUS   DETAIL",
                "store  FAIL     cannot reach S3: Connection refused",
                "                hint: check lake.endpoint",
                "1 FAIL");
    }

    @Test
    void shouldExitNonZeroIfAndOnlyIfACheckFails() {
        List<CheckResult> passing = List.of(CheckResult.ok("kafka", ""), CheckResult.warn("topic t", "", null),
                CheckResult.skipped("catalog", ""));

        assertThat(CheckReport.exitCode(passing)).isZero();
        assertThat(CheckReport.exitCode(List.of())).isZero();
        assertThat(CheckReport.exitCode(List.of(passing.get(0), new CheckResult("store", Status.FAIL, "x", null))))
                .isEqualTo(1);
    }

    @Test
    void shouldSaySoWhenNothingWasChecked() {
        assertThat(CheckReport.render(List.of())).endsWith("nothing checked\n");
    }
}
