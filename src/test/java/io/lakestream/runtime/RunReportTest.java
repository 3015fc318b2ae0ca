package io.lakestream.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunReportTest {

    private static final RunReport REPORT = new RunReport("app", "2026-01-01T00:00:00Z", "2026-01-01T00:01:05Z",
            65_000, "data-quality", 4,
            List.of(new RunReport.Pipeline("sensors", 200, 2, 0, Map.of("WRONG_TYPE", 198L), 1, 0.99, 0.05,
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
    void shouldReportTheRecordsTheFilterLeftOutBesideTheDeadLetters() {
        RunReport shop = new RunReport("shop-lake", "2026-01-01T00:00:00Z", "2026-01-01T00:00:30Z", 30_000,
                "caught-up", 0, List.of(new RunReport.Pipeline("shop", 3000, 1731, 1194, Map.of("MALFORMED_JSON", 75L),
                0, 0.025, 0.05, "MALFORMED_JSON", null, Map.of(), null)), List.of(), List.of());

        assertThat(shop.toText()).containsPattern("pipeline +read +normalized +filtered +dead +late")
                .containsPattern("shop +3000 +1731 +1194 +75 +0 +MALFORMED_JSON=75");
        assertThat(shop.toJson()).contains("\"filtered\" : 1194");
        assertThat(RunReport.fromJson(shop.toJson()).pipelines().get(0).filtered()).isEqualTo(1194);
    }

    @Test
    void shouldPrintCountsPerPipelineAndTableAndTheDataQualityProblem() {
        String text = REPORT.toText();
        assertThat(text).contains("run of app: data-quality after 1 min 5 s")
                .containsPattern("sensors +200 +2 +0 +198 +1 +WRONG_TYPE=198")
                .containsPattern("sensors +1 +0 +2 +900 +1  2024-05-01T10:00:00Z \\.\\. 2024-05-01T10:01:40Z")
                .containsPattern("sensors\\.by_site +sensors_by_site +3\n")
                .contains("DATA QUALITY: pipeline sensors: 198 of 200 records");
    }
}
