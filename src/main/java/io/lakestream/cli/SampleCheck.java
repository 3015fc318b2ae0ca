package io.lakestream.cli;

import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.PipelineConfig;
import io.lakestream.config.RecordSchemas;
import io.lakestream.normalize.SampleNormalizer;
import io.lakestream.runtime.ExitCodes;
import io.lakestream.sink.ObjectKeys;
import io.lakestream.sink.PartitionCardinality;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * {@code check --sample N}: the latest N records of each pipeline's source topics, normalized against its schema
 * without writing anything, and the dead-letter classes they would produce with one example each. A schema that
 * does not fit the data shows here, before a run sends the topic to the dead-letter topic.
 */
final class SampleCheck {

    /** One pipeline's sample. */
    record Result(String pipeline, int sampled, Map<String, Long> counts, Map<String, String> examples,
                  double limit, Map<String, Long> perPartition, Map<String, PartitionCardinality.Table> tables) {

        /**
         * How the sample is spread: N is shared out evenly over the source partitions (the latest records of each),
         * a partition holding fewer giving its share to the others; transaction markers take offsets, so a
         * transactional topic yields a little less.
         */
        String spread() {
            if (perPartition.isEmpty()) {
                return "the source partitions hold no record";
            }
            if (perPartition.size() <= 8) {
                return "the latest of each partition: " + perPartition.entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue()).collect(java.util.stream.Collectors.joining(", "));
            }
            var stats = perPartition.values().stream().mapToLong(Long::longValue).summaryStatistics();
            return "the latest " + stats.getMin() + ".." + stats.getMax() + " of each of " + perPartition.size()
                    + " partitions";
        }

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
        Schema schema = ConfigLoader.schemaOf(pipeline);
        SampleNormalizer normalizer = new SampleNormalizer(pipeline, schema);
        PartitionCardinality cardinality = new PartitionCardinality(pipeline, RecordSchemas.records(schema, pipeline));
        List<ConsumerRecord<byte[], byte[]>> records = TopicSampler.sample(config.kafka(),
                pipeline.source().topics(), n, timeout, true);
        Map<String, Long> counts = new TreeMap<>();
        Map<String, String> examples = new TreeMap<>();
        Map<String, Long> perPartition = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            perPartition.merge(r.topic() + "-" + r.partition(), 1L, Long::sum);
            SampleNormalizer.Outcome outcome = normalizer.attempt(r);
            SampleNormalizer.Reason why = outcome.reason();
            if (why != null) {
                counts.merge(why.errorClass(), 1L, Long::sum);
                examples.putIfAbsent(why.errorClass(), r.topic() + "-" + r.partition() + "@" + r.offset() + ": "
                        + why.message());
            } else if (outcome.record() != null) {
                cardinality.add(outcome.record());
            }
        }
        return new Result(pipeline.name(), records.size(), counts, examples,
                pipeline.limits().maxDeadLetterRatio(), perPartition, cardinality.tables());
    }

    static void print(Result r, PipelineConfig pipeline, PrintStream out) {
        out.printf(Locale.ROOT, "sample of pipeline %s: %d record(s) of %s (%s), %d would normalize, %d would go to %s"
                        + "%s%n", r.pipeline(), r.sampled(), pipeline.source().topics(), r.spread(),
                r.sampled() - r.dead(),
                r.dead(), pipeline.dlqTopic(), r.sampled() == 0 ? "" : String.format(Locale.ROOT, " (%.1f %%)",
                        100.0 * r.dead() / r.sampled()));
        r.counts().forEach((errorClass, count) -> out.printf(Locale.ROOT, "  %-22s %6d  e.g. %s%n", errorClass, count,
                r.examples().get(errorClass)));
        r.tables().forEach((table, t) -> out.printf(Locale.ROOT, "  table %s: %d partition value list(s) of (%s) in"
                        + " the sample, at most %d in one landing window of one source partition%s%n", table,
                t.distinct(), String.join(", ", t.columns()), t.perWindowMax(), t.limit() == 0 ? ""
                        : t.overLimit() ? String.format(Locale.ROOT, ": WARN more than landing.max-partition-values ="
                        + " %d, the rest would land in the %s partition", t.limit(), ObjectKeys.OVERFLOW_PARTITION)
                        : " (landing.max-partition-values = " + t.limit() + ")"));
        if (r.overLimit()) {
            out.printf(Locale.ROOT, "  FAIL more than limits.max-dead-letter-ratio = %s: a run would stop with exit "
                    + "code %d; fix the schema or the field mapping first%n", r.limit(), ExitCodes.DATA_QUALITY);
        }
    }
}
