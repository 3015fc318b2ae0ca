package io.lakestream.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.window.DrainSignal.Stage;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DrainSignalTest {

    private final DrainSignal drain = new DrainSignal();
    private final DrainSignal.Tracker input = drain.track(Stage.INPUT);
    private final DrainSignal.Tracker results = drain.track(Stage.RESULTS);

    @Test
    void shouldCloseTheProcessorsFedByTheInputBeforeThoseFedByTheirResults() {
        assertThat(drain.requested()).isFalse();
        assertThat(input.drainRequested()).isFalse();

        drain.request(Stage.INPUT);
        assertThat(drain.requested()).isTrue();
        assertThat(input.drainRequested()).isTrue();
        assertThat(results.drainRequested()).isFalse();

        drain.request(Stage.RESULTS);
        assertThat(results.drainRequested()).isTrue();
        // a later stage does not undo an earlier one, nor does asking for the earlier one again
        drain.request(Stage.INPUT);
        assertThat(input.drainRequested()).isTrue();
        assertThat(results.drainRequested()).isTrue();
    }

    @Test
    void shouldCountBufferingProcessorsPerStage() {
        input.buffering(true);
        assertThat(drain.buffering()).isEqualTo(1);
        assertThat(drain.buffering(Stage.INPUT)).isEqualTo(1);
        assertThat(drain.buffering(Stage.RESULTS)).isZero();

        results.buffering(true);
        input.buffering(false);
        assertThat(drain.buffering(Stage.INPUT)).isZero();
        assertThat(drain.buffering()).isEqualTo(1);

        results.close();
        assertThat(drain.buffering()).isZero();
    }

    @Test
    void shouldLookBetweenFourAndTenTimesASecond() {
        assertThat(DrainSignal.checkInterval(Duration.ofSeconds(60))).isEqualTo(Duration.ofMillis(250));
        assertThat(DrainSignal.checkInterval(Duration.ofMillis(200))).isEqualTo(Duration.ofMillis(100));
        assertThat(DrainSignal.checkInterval(Duration.ofMillis(800))).isEqualTo(Duration.ofMillis(200));
    }
}
