package io.lakestream.runtime;

import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.PipelineConfig;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads, at start, how large a record each pipeline's DLQ and output topics accept: the smaller of the topic's
 * {@code max.message.bytes} and the producer's {@code max.request.size}. The normalize stage checks every record
 * against these before it is produced: a record Kafka refuses would fail the stream thread at the same offset on
 * every restart and stop its partition for good.
 */
final class TopicLimits {

    private static final Logger log = LoggerFactory.getLogger(TopicLimits.class);

    private TopicLimits() {
    }

    /** @return {@code config} with every pipeline's {@link PipelineConfig.Limits} completed from the cluster */
    static LakestreamConfig apply(Admin admin, LakestreamConfig config) throws InterruptedException {
        int maxRequest = maxRequestSize(StreamsProperties.of(config));
        Set<String> topics = new LinkedHashSet<>();
        config.pipelines().forEach(p -> {
            topics.add(p.dlqTopic());
            topics.add(p.outputTopic());
        });
        Map<String, Integer> maxMessage = maxMessageBytes(admin, topics);
        List<PipelineConfig> pipelines = new ArrayList<>();
        for (PipelineConfig p : config.pipelines()) {
            int dlq = Math.min(maxRequest, maxMessage.get(p.dlqTopic()));
            int output = Math.min(maxRequest, maxMessage.get(p.outputTopic()));
            log.info("record limits pipeline={}: DLQ topic {} {} bytes, output topic {} {} bytes (max.message.bytes"
                    + " {} / {}, producer max.request.size {})", p.name(), p.dlqTopic(), dlq, p.outputTopic(), output,
                    maxMessage.get(p.dlqTopic()), maxMessage.get(p.outputTopic()), maxRequest);
            pipelines.add(p.withLimits(p.limits().withTopics(dlq, output, config.lake().prefix())));
        }
        return config.withPipelines(pipelines);
    }

    /** The producer's {@code max.request.size} as Kafka Streams resolves it: the producer-prefixed key wins. */
    static int maxRequestSize(Properties streamsProps) {
        Object value = streamsProps.get(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        if (value == null) {
            value = streamsProps.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        }
        if (value == null) {
            return PipelineConfig.Limits.KAFKA_DEFAULT_RECORD_BYTES;
        }
        try {
            return Integer.parseInt(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("kafka.max.request.size: must be a whole number of bytes, was \""
                    + value + "\"", e);
        }
    }

    private static Map<String, Integer> maxMessageBytes(Admin admin, Set<String> topics) throws InterruptedException {
        List<ConfigResource> resources = topics.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        Map<ConfigResource, Config> configs;
        try {
            configs = admin.describeConfigs(resources).all().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read max.message.bytes of topics " + topics + " (needed so that no"
                    + " record too large for them can stop a partition; the principal needs DescribeConfigs on them): "
                    + e.getCause().getMessage(), e.getCause());
        }
        Map<String, Integer> result = new java.util.HashMap<>();
        configs.forEach((resource, config) -> {
            ConfigEntry entry = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            result.put(resource.name(), entry == null || entry.value() == null
                    ? PipelineConfig.Limits.KAFKA_DEFAULT_RECORD_BYTES : Integer.parseInt(entry.value()));
        });
        return result;
    }
}
