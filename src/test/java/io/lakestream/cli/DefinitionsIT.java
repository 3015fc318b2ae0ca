package io.lakestream.cli;

import io.lakestream.runtime.LakestreamApp;
import io.lakestream.runtime.PortsFactory;
import io.lakestream.runtime.Schemas;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakestream.config.ConfigLoader;
import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.testing.AppUnderTest;
import io.lakestream.testing.ConfigTemplates;
import io.lakestream.testing.EmbeddedKafkaExtension;
import io.lakestream.testing.LakestreamEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Window and aggregation definitions are pinned per application id in {@code <id>.definitions}: a changed landing
 * window or measure is refused at start, even with the state directory wiped, naming what changed and the two ways
 * forward; after {@code accept-definitions} the new definition starts.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class DefinitionsIT {

    private static final String NAME = "defs";

    @TempDir
    Path tmp;

    @Test
    void shouldRefuseAChangedWindowOrMeasureUnderTheSameApplicationIdUntilAccepted(EmbeddedKafka kafka)
            throws Exception {
        kafka.createTopics(1, NAME + ".raw");

        start(kafka, UnaryOperator.identity()).close();
        deleteState();

        UnaryOperator<String> sixtySeconds = yaml -> yaml.replace("landing: { table: claims, window: 100s",
                "landing: { table: claims, window: 60s");
        assertThatThrownBy(() -> start(kafka, sixtySeconds)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("window or aggregation definitions changed under application.id defs-it"
                        + " (recorded in topic defs-it.definitions): pipelines[defs].landing.window: 100s → 1m.")
                .hasMessageContaining("(1) run the new definition under a new application.id (for an aggregation:"
                        + " a new aggregation name)")
                .hasMessageContaining("(2) migrate: run the old configuration with `run --until-caught-up`");

        UnaryOperator<String> maxInsteadOfMin = yaml -> yaml.replace("{ name: amount_min, fn: min, field: amount }",
                "{ name: amount_min, fn: max, field: amount }");
        assertThatThrownBy(() -> start(kafka, maxInsteadOfMin)).hasMessageContaining(
                "pipelines[defs].aggregations[claims_by_account].measures: [claim_count:count, amount_total:sum(amount),"
                        + " amount_min:min(amount),");

        Path config = write(kafka, sixtySeconds);
        assertThat(Main.execute("accept-definitions", "--config", config.toString())).isZero();
        start(kafka, sixtySeconds).close();
        assertThatThrownBy(() -> start(kafka, UnaryOperator.identity())).as("and now the old one is a change")
                .hasMessageContaining("pipelines[defs].landing.window: 1m → 100s");
    }

    private AppUnderTest start(EmbeddedKafka kafka, UnaryOperator<String> edit) throws Exception {
        AppUnderTest app = AppUnderTest.of(ConfigLoader.load(write(kafka, edit), Map.of()));
        app.start();
        return app;
    }

    private Path write(EmbeddedKafka kafka, UnaryOperator<String> edit) throws Exception {
        return LakestreamEnv.inFolder(kafka.bootstrapServers(), "defs-it", tmp)
                .writeClaimsConfig(edit.apply(ConfigTemplates.claims(Path.of("config/claims.yaml"), NAME + ".raw",
                        NAME)), tmp);
    }

    private void deleteState() throws Exception {
        Path state = tmp.resolve("state");
        if (Files.exists(state)) {
            try (var paths = Files.walk(state)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        assertThat(state).doesNotExist();
    }
}
