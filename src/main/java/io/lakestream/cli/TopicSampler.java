package io.lakestream.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a sample of raw records without a consumer group (nothing committed, no other reader disturbed). */
final class TopicSampler {

    private TopicSampler() {
    }

    /**
     * Up to {@code limit} records of {@code topics}, for at most {@code timeout}: from the beginning of every
     * partition, or ({@code latest}) the last records of each partition, what producers send now.
     */
    static List<ConsumerRecord<byte[], byte[]>> sample(Map<String, String> client, List<String> topics, int limit,
                                                       Duration timeout, boolean latest) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String t : topics) {
                List<PartitionInfo> infos = consumer.partitionsFor(t, timeout);
                if (infos == null || infos.isEmpty()) {
                    throw new IllegalStateException("topic " + t + " does not exist");
                }
                infos.forEach(i -> partitions.add(new TopicPartition(t, i.partition())));
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, timeout);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            Map<TopicPartition, Long> available = new java.util.HashMap<>();
            partitions.forEach(tp -> available.put(tp, end.get(tp) - begin.get(tp)));
            Map<TopicPartition, Long> share = share(limit, available);
            for (TopicPartition tp : partitions) {
                consumer.seek(tp, latest ? end.get(tp) - share.get(tp) : begin.get(tp));
            }
            Instant deadline = Instant.now().plus(timeout);
            while (records.size() < limit && Instant.now().isBefore(deadline)
                    && partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (records.size() < limit) {
                        records.add(r);
                    }
                }
            }
        }
        return records;
    }

    /**
     * {@code limit} offsets shared out evenly over the partitions, a partition holding fewer than its share giving
     * the rest to the others (so a sample of N reads N records when the topics hold them).
     */
    static Map<TopicPartition, Long> share(long limit, Map<TopicPartition, Long> available) {
        Map<TopicPartition, Long> share = new java.util.HashMap<>();
        List<TopicPartition> open = new ArrayList<>(available.keySet());
        open.sort(java.util.Comparator.comparingLong(available::get));
        long left = limit;
        for (int i = 0; i < open.size(); i++) {
            TopicPartition tp = open.get(i);
            long remaining = open.size() - i;
            long even = (left + remaining - 1) / remaining;
            long taken = Math.min(available.get(tp), even);
            share.put(tp, taken);
            left -= taken;
        }
        return share;
    }
}
