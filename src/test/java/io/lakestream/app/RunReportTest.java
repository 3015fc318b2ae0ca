package io.lakestream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunReportTest {

    private static final RunReport REPORT = new RunReport("app", "2026-01-01T00:00:00Z", "2026-01-01T00:01:05Z",
            65_000, "data-quality", 4,
            List.of(new RunReport.Pipeline("sensors", 200, 2, Map.of("WRONG_TYPE", 198L), 1, 0.99, 0.05,
                    "WRONG_TYPE", "field humidity: not an int", Map.of("WRONG_TYPE", "field humidity: not an int"),
                    "pipeline sensors: 198 of 200 records (99.00 %) went to the dead-letter topic")),
            List.of(new RunReport.Table("sensors", 1, 0, 2, 900, 1, "2024-05-01T10:00:00Z",
                    "2024-05-01T10:01:40Z", 0), new RunReport.Table("sensors_by_site", 1, 0, 1, 300, 1,
                    "2024-05-01T10:00:00Z", "2024-05-01T10:01:40Z", 0)),
            List.of(new RunReport.Aggregation("sensors", "by_site", "sensors_by_site", 3)));

    @Test
    void shouldSurviveAJsonRoundTripForSchedulers() {
        assertThat(RunReport.fromJson(REPORT.toJson())).isEqualTo(REPORT);
        assertThat(REPORT.toJson()).contains("\"exitCode\" : 4").contains("\"rows\" : 2")
                .contains("\"leftOut\" : 3");
    }

    @Test
    void shouldPrintCountsPerPipelineAndTableAndTheDataQualityProblem() {
        String text = REPORT.toText();
        assertThat(text).contains("run of app: data-quality after 1 min 5 s")
                .containsPattern("sensors +200 +2 +198 +1 +WRONG_TYPE=198")
                .containsPattern("sensors +1 +0 +2 +900 +1  2024-05-01T10:00:00Z \\.\\. 2024-05-01T10:01:40Z")
                .containsPattern("sensors\\.by_site +sensors_by_site +3\n")
                .contains("DATA QUALITY: pipeline sensors: 198 of 200 records");
    }
}
