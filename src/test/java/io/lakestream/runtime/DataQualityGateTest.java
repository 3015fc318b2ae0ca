package io.lakestream.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.FileFormat;
import io.lakestream.sink.TestConfigs;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataQualityGateTest {

    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final DataQualityGate gate = new DataQualityGate(TestConfigs.config(FileFormat.PARQUET, List.of()),
            meters);
    private long now = 1_000_000;

    private void read(int records, int dead, String errorClass) {
        meters.counter(MeterFigures.RECORDS_IN, "pipeline", "claims").increment(records);
        meters.counter(MeterFigures.DLQ_RECORDS, "pipeline", "claims", "error_class", errorClass).increment(dead);
        now += 5_000;
        gate.tick(now);
    }

    private double gauge(String name) {
        return meters.get(name).tag("pipeline", "claims").gauge().value();
    }

    @Test
    void shouldTripOnceTheWindowsRatioExceedsTheDefaultLimitAndShowItInTheGauges() {
        read(1000, 20, "MALFORMED_JSON");
        assertThat(gate.breach()).as("2 %% is ordinary noise").isEmpty();
        assertThat(gauge("lakestream.data.quality.breached")).isZero();

        read(1000, 900, "WRONG_TYPE");

        assertThat(gate.breach()).hasValueSatisfying(b -> assertThat(b)
                .contains("pipeline claims: 46.00 % of the last 2000 records went to the dead-letter topic")
                .contains("pipelines[0].limits.max-dead-letter-ratio = 0.05"));
        assertThat(gauge("lakestream.data.quality.breached")).isEqualTo(1);
        assertThat(gauge("lakestream.dead.letter.ratio")).isEqualTo(0.46);
    }

    @Test
    void shouldJudgeOnlyTheLastWindowWhileRunningAndTheWholeRunAtTheEnd() {
        read(100_000, 0, "WRONG_TYPE");
        now += DataQualityGate.WINDOW.toMillis(); // the clean records leave the sliding window
        read(90, 90, "WRONG_TYPE");
        assertThat(gate.breach()).as("too few records in the window to judge").isEmpty();
        read(20, 20, "WRONG_TYPE");

        assertThat(gate.breach()).isPresent();
        DataQualityGate.Verdict run = gate.overRun().get("claims");
        assertThat(run.failed()).as("110 dead of 100,110 over the run").isFalse();
        assertThat(run.dominantClass()).isEqualTo("WRONG_TYPE");
        assertThat(run.deadLettered()).isEqualTo(110);
    }

    @Test
    void shouldNameTheDominantClassAndTheSettingWhenTheRunFails() {
        read(200, 150, "WRONG_TYPE");
        read(0, 10, "MISSING_FIELD");

        DataQualityGate.Verdict run = gate.overRun().get("claims");

        assertThat(run.problem("field amount: expected an int")).isEqualTo("pipeline claims: 160 of 200 records "
                + "(80.00 %) went to the dead-letter topic, more than pipelines[0].limits.max-dead-letter-ratio = "
                + "0.05; mostly WRONG_TYPE (150), e.g. field amount: expected an int");
    }

    @Test
    void shouldNotFailARunThatReadTooFewRecordsToJudge() {
        read(5, 1, "UNKNOWN_ENUM");
        assertThat(gate.overRun().get("claims").failed()).as("1 of 5 records is not a trend").isFalse();

        read(94, 4, "UNKNOWN_ENUM");
        assertThat(gate.overRun().get("claims").failed()).as("5 of 99").isFalse();
        read(1, 1, "UNKNOWN_ENUM");
        assertThat(gate.overRun().get("claims").failed()).as("6 of 100 is over 5 %").isTrue();
    }
}
