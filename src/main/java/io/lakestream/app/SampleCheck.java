package io.lakestream.app;

import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.PipelineConfig;
import io.lakestream.normalize.SampleNormalizer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * {@code check --sample N}: the latest N records of each pipeline's source topics, normalized against its schema
 * without writing anything, and the dead-letter classes they would produce with one example each. A schema that
 * does not fit the data shows here, before a run sends the topic to the dead-letter topic.
 */
final class SampleCheck {

    /** One pipeline's sample. */
    record Result(String pipeline, int sampled, Map<String, Long> counts, Map<String, String> examples,
                  double limit) {

        long dead() {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }

        /** What the data-quality gate would say of a run of such records. */
        boolean overLimit() {
            return sampled > 0 && (double) dead() / sampled > limit;
        }
    }

    private SampleCheck() {
    }

    static Result run(LakestreamConfig config, PipelineConfig pipeline, int n, Duration timeout) {
        SampleNormalizer normalizer = new SampleNormalizer(pipeline, ConfigLoader.schemaOf(pipeline));
        List<ConsumerRecord<byte[], byte[]>> records = TopicSampler.sample(config.kafka(),
                pipeline.source().topics(), n, timeout, true);
        Map<String, Long> counts = new TreeMap<>();
        Map<String, String> examples = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            Optional<SampleNormalizer.Reason> reason = normalizer.attempt(r.value());
            reason.ifPresent(why -> {
                counts.merge(why.errorClass(), 1L, Long::sum);
                examples.putIfAbsent(why.errorClass(), r.topic() + "-" + r.partition() + "@" + r.offset() + ": "
                        + why.message());
            });
        }
        return new Result(pipeline.name(), records.size(), counts, examples,
                pipeline.limits().maxDeadLetterRatio());
    }

    static void print(Result r, PipelineConfig pipeline, PrintStream out) {
        out.printf(Locale.ROOT, "sample of pipeline %s: %d record(s) of %s, %d would normalize, %d would go to %s"
                        + "%s%n", r.pipeline(), r.sampled(), pipeline.source().topics(), r.sampled() - r.dead(),
                r.dead(), pipeline.dlqTopic(), r.sampled() == 0 ? "" : String.format(Locale.ROOT, " (%.1f %%)",
                        100.0 * r.dead() / r.sampled()));
        r.counts().forEach((errorClass, count) -> out.printf(Locale.ROOT, "  %-22s %6d  e.g. %s%n", errorClass, count,
                r.examples().get(errorClass)));
        if (r.overLimit()) {
            out.printf(Locale.ROOT, "  FAIL more than limits.max-dead-letter-ratio = %s: a run would stop with exit "
                    + "code %d; fix the schema or the field mapping first%n", r.limit(), ExitCodes.DATA_QUALITY);
        }
    }
}
