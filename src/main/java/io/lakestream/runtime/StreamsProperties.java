package io.lakestream.runtime;

import io.lakestream.config.ApplicationConfig.ProcessingGuarantee;
import io.lakestream.config.LakestreamConfig;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;

/** Kafka Streams properties from the config: lakestream's defaults, then the {@code kafka:} map verbatim. */
final class StreamsProperties {

    /** The name {@link BoundedRocksDbMemory} had before it moved to this package; configs may still give it. */
    static final String FORMER_ROCKSDB_SETTER = "io.lakestream.app.BoundedRocksDbMemory";

    private StreamsProperties() {
    }

    static Properties of(LakestreamConfig config) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.application().id());
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.application().stateDir().toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                config.application().processingGuarantee() == ProcessingGuarantee.EXACTLY_ONCE
                        ? StreamsConfig.EXACTLY_ONCE_V2 : StreamsConfig.AT_LEAST_ONCE);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.application().commitInterval().toMillis());
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        // A raw topic that already holds data is read from its beginning on the first start: nothing is skipped.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // Fewer, larger produce requests: the broker's CPU per record under exactly-once fell by a third in the
        // benchmark (README, Benchmarks); 50 ms is nothing next to a window of 100 s.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 50);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        props.putAll(config.kafka());
        if (FORMER_ROCKSDB_SETTER.equals(props.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG))) {
            props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class.getName());
        }
        return props;
    }

    /**
     * Stream threads when {@code kafka.num.stream.threads} is not set: one per core, but no more than the source
     * topics have partitions (a thread without a task would only idle). On 2 cores the second thread took the full
     * pipeline from 63,253 to 86,826 records/s warm at the same CPU per record (README, Benchmarks).
     *
     * @param sourcePartitions partition count of each source topic
     */
    static int defaultThreads(int cores, Map<String, Integer> sourcePartitions) {
        int partitions = sourcePartitions.values().stream().mapToInt(Integer::intValue).sum();
        return Math.max(1, Math.min(cores, partitions));
    }
}
