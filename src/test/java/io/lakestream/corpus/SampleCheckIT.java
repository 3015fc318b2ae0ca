package io.lakestream.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.cli.Main;
import io.lakestream.corpus.Corpus.Case;
import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.testing.EmbeddedKafkaExtension;
import io.lakestream.testing.RawProducer;
import io.lakestream.testing.RawProducer.Raw;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check --sample}: the bad-input corpus on a real topic, tried against the corpus schema without writing
 * anything; the dry run names every dead-letter class the corpus holds, with its count and an example.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class SampleCheckIT {

    @TempDir
    Path tmp;

    @Test
    void shouldListTheDeadLetterClassesOfACorpusTopicWithOneExampleEachAndWriteNothing(EmbeddedKafka kafka)
            throws Exception {
        List<Case> json = Corpus.cases().stream().filter(c -> c.pipeline().equals("json")).toList();
        kafka.createTopics(1, "sample.json.raw", "sample.csv.raw");
        RawProducer.send(kafka.bootstrapServers(), "sample.json.raw",
                json.stream().map(c -> new Raw(c.key(), c.value())).toList());
        Files.copy(Corpus.DIR.resolve("corpus.avsc"), tmp.resolve("corpus.avsc"));
        Path config = tmp.resolve("corpus.yaml");
        Files.writeString(config, """
                application: { id: corpus-sample, state-dir: "%s" }
                kafka: { bootstrap.servers: "%s" }
                registry: { type: local, local-dir: "%s" }
                lake: { store: local, local-dir: "%s" }
                catalog: { type: none }
                http: { port: 0 }
                """.formatted(tmp.resolve("state"), kafka.bootstrapServers(), tmp.resolve("registry"),
                tmp.resolve("lake")) + Corpus.pipelinesYaml("sample.json.raw", "sample.csv.raw"));

        Set<String> topicsBefore = topics(kafka);
        int[] exit = {-1};
        String out = stdout(() -> exit[0] = Main.execute("check", "--config", config.toString(), "--sample",
                "500"));

        long invalid = json.stream().filter(c -> !c.valid()).count();
        assertThat((double) invalid / json.size()).as("the corpus is mostly bad input").isGreaterThan(0.05);
        assertThat(exit[0]).as("over the default max-dead-letter-ratio of 5 %%: the data-quality code")
                .isEqualTo(4);

        Map<String, Long> expected = json.stream().filter(c -> !c.valid())
                .collect(Collectors.groupingBy(Case::expected, TreeMap::new, Collectors.counting()));
        assertThat(expected).hasSizeGreaterThan(5);
        assertThat(out).contains("sample of pipeline corpus-json: " + json.size() + " record(s) of "
                + "[sample.json.raw] (the latest of each partition: sample.json.raw-0 " + json.size() + "), "
                + json.stream().filter(Case::valid).count() + " would normalize");
        expected.forEach((errorClass, count) -> assertThat(out).as(errorClass)
                .containsPattern("(?m)^  " + errorClass + " +" + count + "  e\\.g\\. sample\\.json\\.raw-0@\\d+: "));
        assertThat(out).contains("sample of pipeline corpus-csv: 0 record(s)");
        // The records that would normalize land in dt/hour partitions: at least 1970-01-01/00 and 9999-12-31/23.
        assertThat(out).containsPattern("(?m)^  table corpus_json: ([2-9]|\\d\\d+) partition value list\\(s\\) of "
                + "\\(dt, hour\\) in the sample, at most \\d+ in one landing window of one source partition$");
        assertThat(Pattern.compile("(?m)^  [A-Z0-9_]+ +\\d+  e\\.g\\.").matcher(out).results().count())
                .as("one line per class: " + out).isEqualTo(expected.size());
        assertThat(tmp.resolve("lake")).doesNotExist();
        assertThat(topics(kafka)).as("the shared broker's topics after the check: none of its own")
                .isEqualTo(topicsBefore);
    }

    private static Set<String> topics(EmbeddedKafka kafka) throws Exception {
        try (var admin = kafka.admin()) {
            return admin.listTopics().names().get();
        }
    }

    private static synchronized String stdout(java.util.concurrent.Callable<Integer> command) throws Exception {
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            command.call();
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(stdout);
        }
    }
}
